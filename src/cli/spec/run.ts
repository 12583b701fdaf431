import type { CommandSpec } from '../cli-context.js';

import { addSelectionOptions } from './selection-options.js';

export const spec: CommandSpec = (program, invoke) => {
  const cmd = program
    .command('run')
    .description('run a command or a job file in many accounts and regions (one MFA prompt, one AssumeRole per account)')
    .argument('[command...]', 'command and arguments, after --; {account}, {region} and {name} are replaced');
  addSelectionOptions(cmd, 'source profile whose MFA session assumes into every account (default: AWS_PROFILE, then default)')
    .option(
      '--regions <list>',
      'comma-separated regions, or "all" (the regions each account has enabled, asked with DescribeRegions); default: the profile region',
    )
    .option('--allow-new-regions', 'accept region names rolehop does not know yet (a region AWS added after this release)')
    .option('--role <name>', 'role name or ARN to assume in each account (with --sso-session: the permission set)', 'OrganizationAccountAccessRole')
    .option('--sso-session <name>', 'every account IAM Identity Center assigns you in this [sso-session], entered with GetRoleCredentials for --role')
    .option('--external-id <id>', 'ExternalId for AssumeRole')
    .option('--job <file>', 'JS module exporting `default async function (ctx)` to run per target (.mjs/.js; .ts under tsx)')
    .option('-c, --concurrency <n>', 'targets in flight at once (default 32)', (v) => Number.parseInt(v, 10))
    .option('-t, --timeout <seconds>', 'per-target timeout', (v) => Number.parseFloat(v))
    .option('--shard <i/n>', 'run only shard i of n (1-based; by hash of account id) for CI matrices')
    .option('--resume <journal>', 'NDJSON journal: skip targets done in it, record finished ones')
    .option('--output-dir <dir>', "write each target's output to DIR/<account>_<region>.{json,stdout,stderr}")
    .option('--sts-rate <n>', 'AssumeRole calls per second per caller account and STS region (default 500)', (v) => Number.parseFloat(v))
    .option('-y, --yes', 'do not ask for confirmation on a terminal')
    .addHelpText(
      'after',
      [
        '',
        'Without a command or --job, prints the selected accounts and stops.',
        '--regions all asks each account (ec2:DescribeRegions, with its role, in the profile region)',
        'which regions it has enabled; where it cannot, the 17 regions every account has are used',
        'and a warning says so. A listed opt-in region an account has not enabled is not run there:',
        'its row fails with ERR_REGION_NOT_ENABLED (exit 10). Regions every account has are not asked about.',
        "Each child gets the account's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,",
        'AWS_CREDENTIAL_EXPIRATION, AWS_REGION and AWS_DEFAULT_REGION; AWS_PROFILE is removed.',
        '--json prints one NDJSON line per target: account, region, name, ok, exitCode,',
        'durationMs, stdout or value, error.code, attempts.',
        '',
        'Exit codes: 0 all targets succeeded; 10 some targets failed; 130 interrupted;',
        'other codes: setup failed (see `rolehop --help`).',
        '',
        'Examples:',
        '  rolehop run --org --regions us-east-1,eu-west-1',
        '  rolehop run --org --tag env=prod -- aws s3 ls',
        '  rolehop run --accounts-file accounts.txt --job ./inventory.mjs --json > out.ndjson',
        '  rolehop run --org --shard 2/4 --resume sweep.journal -- ./check.sh {account} {region}',
        '  rolehop run --sso-session corp --role ReadOnly --json -- aws sts get-caller-identity',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/run.js')));
};
