import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('whoami')
    .description("show the profile, account, role, region and time left of this shell's rolehop credentials (no AWS call)")
    .option('--verify', "also ask STS (GetCallerIdentity) who the shell's credentials are, and fail on a mismatch")
    .addHelpText(
      'after',
      [
        '',
        'Reads ROLEHOP_PROFILE, ROLEHOP_EXPIRES and the AWS_* variables that `rh PROFILE` or',
        '`rolehop exec PROFILE` set, the profile in the config, and account names from the',
        'cached Organizations inventory. Exit 3 when the shell holds no rolehop credentials',
        '(ERR_NO_CREDENTIALS) or, with --verify, when STS names another account or role.',
        '',
        'Examples:',
        '  rolehop whoami',
        '  rolehop whoami --json --verify',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/whoami.js')));
};
