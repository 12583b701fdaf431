import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('add')
    .description('store an IAM user key for PROFILE in the vault (prompted on the terminal, or --env)')
    .argument('<profile>', 'profile name, as in ~/.aws/config')
    .option('--env', 'read AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment')
    .addHelpText('after', '\nExamples:\n  rolehop add alice\n  AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY=... rolehop add alice --env')
    .action(invoke(() => import('../commands/add.js')));
};
