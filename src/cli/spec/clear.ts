import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('clear')
    .description('forget cached sessions (all, or those involving PROFILE); stored keys stay')
    .argument('[profile]')
    .addHelpText('after', '\nExamples:\n  rolehop clear\n  rolehop clear prod-admin')
    .action(invoke(() => import('../commands/clear.js')));
};
