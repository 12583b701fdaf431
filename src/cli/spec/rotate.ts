import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('rotate')
    .description("replace PROFILE's stored IAM user key with a new one, never leaving it without a working key")
    .argument('<profile>')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .addHelpText(
      'after',
      '\nSteps: list keys (stop if the user already has two), create a key, wait until\nAWS accepts it, store it, check the stored key, delete the old key, clear\ncached sessions. An interrupted rotation is finished or cleaned up by the next\nrun. IAM calls use the MFA session when the profile has mfa_serial.\n\nExamples:\n  rolehop rotate alice\n  rolehop rotate alice --yes --json',
    )
    .action(invoke(() => import('../commands/rotate.js')));
};
