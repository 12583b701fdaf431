import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('remove')
    .description("delete PROFILE's stored key and its cached sessions")
    .argument('<profile>')
    .addHelpText('after', '\nExample:\n  rolehop remove alice')
    .action(invoke(() => import('../commands/remove.js')));
};
