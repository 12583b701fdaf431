import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('login')
    .description("open the AWS console signed in with PROFILE's credentials")
    .argument('[profile]', 'profile to use; left out on a terminal, a picker opens')
    .option('-s, --stdout', 'print the sign-in link on stdout instead of opening a browser (it is a secret for 15 minutes)')
    .option('-r, --region <region>', 'console region (default: the profile region)')
    .option('-p, --path <path>', 'console page, e.g. ec2/home or s3/buckets (default: console/home)')
    .option('-b, --browser-profile <name>', 'browser profile or container to open the console in')
    .option('-d, --duration <seconds>', 'console session length, where AWS allows one', (v) => Number.parseInt(v, 10))
    .addHelpText(
      'after',
      '\nRole profiles use the role session; IAM user profiles are signed in through\nGetFederationToken with the stored key. A launch template in\nROLEHOP_BROWSER_COMMAND or the profile key browser_command (placeholders\n{url} and {profile}) opens each profile in its own browser profile, e.g.\n  browser_command = firefox -P {profile} --new-tab {url}\n\nWhen no browser can start (no DISPLAY, or the launcher fails), the link is\nprinted at a terminal with a warning; into a pipe or with --json, login\nfails (exit 2): pass --stdout to ask for the link.\n\nWithout PROFILE, when stdin and stderr are terminals, a picker opens.\n\nExamples:\n  rolehop login prod-admin\n  rolehop login\n  rolehop login dev --region eu-west-1 --path ec2/home\n  rolehop login dev --stdout',
    )
    .action(invoke(() => import('../commands/login.js')));
};
