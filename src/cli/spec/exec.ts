import type { Command } from 'commander';
import type { CommandSpec } from '../cli-context.js';
import { profileOmitted } from '../exec-operands.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('exec')
    .description("run a command (default: $SHELL) with PROFILE's credentials in its environment")
    .argument('[profile]', 'profile to use; left out on a terminal, a picker opens')
    .argument('[command...]', 'command and arguments, after --')
    .option('-d, --duration <seconds>', 'session duration of the final role (or session)', (v) => Number.parseInt(v, 10))
    .option('-r, --region <region>', 'region for the child (AWS_REGION, AWS_DEFAULT_REGION)')
    .option('-n, --no-session', 'use the stored key directly for the first role (no GetSessionToken)')
    .option('--server', 'serve refreshing credentials to the child from a local ECS-style endpoint')
    .option('--imds', 'serve refreshing credentials to the child from a local IMDSv2-style endpoint')
    .addHelpText(
      'after',
      '\nThe child gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,\nAWS_CREDENTIAL_EXPIRATION, AWS_REGION, AWS_DEFAULT_REGION and ROLEHOP_PROFILE;\nAWS_PROFILE and stale credential variables are removed. Its exit code is returned.\n\nWithout PROFILE, when stdin and stderr are terminals, a picker opens: type to\nfilter by profile, account id or name, or role; Enter picks, Esc cancels.\n\nExamples:\n  rolehop exec prod-admin -- aws sts get-caller-identity\n  rolehop exec -- aws sts get-caller-identity\n  rolehop exec --server dev -- terraform apply',
    )
    .hook('preAction', (cmd: Command) => {
      // Commander keeps its raw arguments untyped; without them, the first operand is the profile as before.
      const raw = (cmd.parent as unknown as { rawArgs?: unknown } | null)?.rawArgs;
      cmd.setOptionValue('profileOmitted', Array.isArray(raw) && profileOmitted(raw as string[], cmd.args.length));
    })
    .action(invoke(() => import('../commands/exec.js')));
};
