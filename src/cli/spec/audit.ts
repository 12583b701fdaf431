import type { CommandSpec } from '../cli-context.js';
import { addSelectionOptions, addShardOption } from './selection-options.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export const spec: CommandSpec = (program, invoke) => {
  const audit = program.command('audit').description('audits across accounts: who can get in (trust)');
  const trust = audit.command('trust').description('flag every role whose trust policy lets in a stranger, anyone, or another account without MFA');
  addShardOption(addSelectionOptions(trust, 'source profile whose MFA session enters every account (default: AWS_PROFILE, then default)'))
    .option('--role <name>', 'role to assume in each account', 'OrganizationAccountAccessRole')
    .option('--external-id <id>', 'ExternalId for AssumeRole')
    .option('--allow-accounts <ids>', 'accounts outside the organisation that may be trusted with an external id or MFA (comma-separated)')
    .option('--allow-service <principal>', 'expected service principal (repeatable); default: any *.amazonaws.com service', collect)
    .option('--allow-federated <arn>', 'expected SAML or OIDC provider (repeatable); default: none', collect)
    .option('-c, --concurrency <n>', 'accounts in flight at once (default 32)', (v) => Number.parseInt(v, 10))
    .option('-t, --timeout <seconds>', 'per-account timeout', (v) => Number.parseFloat(v))
    .addHelpText(
      'after',
      [
        '',
        'Flags, per role and trust statement: a wildcard principal (high; medium when a condition',
        'pins it to an organisation or account), an account outside the organisation and the',
        'allow-list (high), another account of ours without an MFA condition (medium), a deleted',
        'principal (medium), an unexpected federated (medium) or service principal (low).',
        'With --org the organisation is every account of it; otherwise the selected accounts and',
        "the source profile's account.",
        '--json prints one line per finding: account, role, roleArn, statement, principal,',
        'reason, severity; an account that could not be read prints {account, region, error}.',
        '',
        'Exit codes: 0 nothing found; 12 findings; 10 some accounts could not be read;',
        'other codes: setup failed (see `rolehop --help`).',
        '',
        'Examples:',
        '  rolehop audit trust --org',
        '  rolehop audit trust --org --allow-accounts 999999999999 --json > trust.ndjson',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/audit-trust.js')));
};
