import type { CommandSpec } from '../cli-context.js';

const SESSION_HELP = 'the [sso-session NAME] to use (default: the only one in the config, or that of AWS_PROFILE)';
const PROFILE_HELP = 'a profile whose IAM Identity Center settings to use (the legacy sso_start_url form, or its sso_session)';

export const spec: CommandSpec = (program, invoke) => {
  const sso = program
    .command('sso')
    .description('sign in to IAM Identity Center (AWS SSO) once for every profile of an sso-session (login, populate, logout)')
    .addHelpText(
      'after',
      [
        '',
        'The token is kept sealed in ~/.rolehop/sso and refreshed without a browser while',
        'its refresh token lasts; parallel rolehop processes share one login.',
        '',
        'Examples:',
        '  rolehop sso login --session corp',
        '  rolehop sso login --session corp --pkce',
        '  rolehop sso populate --session corp --write',
        '  rolehop sso logout --session corp',
      ].join('\n'),
    );

  sso
    .command('login')
    .description('sign in with the device code (default) or the authorization code with PKCE, and keep the token')
    .option('--session <name>', SESSION_HELP)
    .option('--profile <name>', PROFILE_HELP)
    .option('--device-code', 'show a URL and a code to approve in any browser, on any machine (default)')
    .option('--pkce', 'open the browser on this machine and receive the sign-in on a 127.0.0.1 port')
    .option('--no-browser', 'only print the URL and code; never start a browser')
    .addHelpText(
      'after',
      [
        '',
        'The URL and code are shown on stderr; the browser opens where one can (a terminal and',
        'a display, or ROLEHOP_BROWSER_COMMAND). Without a terminal rolehop prints them and',
        'waits until the code is approved or expires. The flow chosen is remembered for the',
        'session. Tokens are never printed.',
        '',
        'Examples:',
        '  rolehop sso login',
        '  rolehop sso login --session corp --no-browser',
        '  rolehop sso login --profile legacy-dev --pkce',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/sso-login.js')));

  sso
    .command('populate')
    .description('write one profile per account and role the session assigns you (prints them; --write merges them)')
    .option('--session <name>', SESSION_HELP)
    .option('--template <template>', 'profile names from {account}, {account_name}, {role}', '{account_name}-{role}')
    .option('--region <region>', 'region = REGION in every profile written')
    .option('--write', 'merge the profiles into the config file (a rerun replaces them; your own sections are kept)')
    .option('--config-file <file>', 'the config file to merge into (default: AWS_CONFIG_FILE, else ~/.aws/config)')
    .addHelpText(
      'after',
      [
        '',
        'Lists every account (ListAccounts) and its roles (ListAccountRoles), signing in first',
        'if needed. The profiles sit between rolehop marker lines; a section of yours with the',
        'same name wins and is left alone.',
        '',
        'Examples:',
        '  rolehop sso populate --session corp',
        "  rolehop sso populate --session corp --template '{account_name}.{role}' --region eu-west-1 --write",
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/sso-populate.js')));

  sso
    .command('logout')
    .description("end the session's portal sign-in and delete its stored token")
    .option('--session <name>', SESSION_HELP)
    .option('--profile <name>', PROFILE_HELP)
    .addHelpText('after', '\nExamples:\n  rolehop sso logout\n  rolehop sso logout --session corp')
    .action(invoke(() => import('../commands/sso-logout.js')));
};
