import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('list')
    .alias('ls')
    .description('list profiles, stored keys and cached sessions with time left (needs no passphrase)')
    .addHelpText('after', '\nExamples:\n  rolehop list\n  rolehop list --json')
    .action(invoke(() => import('../commands/list.js')));
};
