import type { CommandSpec } from '../cli-context.js';
import { SWEEP_REGIONS_HELP } from './regions-help.js';
import { addSelectionOptions, addShardOption } from './selection-options.js';

export const spec: CommandSpec = (program, invoke) => {
  const cmd = program
    .command('certs')
    .description('find ACM and IAM server certificates that expire soon, in every selected account and region (us-east-1 always)');
  addShardOption(addSelectionOptions(cmd, 'source profile whose MFA session assumes into every account (default: AWS_PROFILE, then default)'))
    .option('--regions <list>', 'comma-separated regions, or "all" (the regions each account has enabled); us-east-1 is always added (CloudFront)')
    .option('--allow-new-regions', 'accept region names rolehop does not know yet (a region AWS added after this release)')
    .option('--role <name>', 'role name or ARN to assume in each account', 'OrganizationAccountAccessRole')
    .option('--external-id <id>', 'ExternalId for AssumeRole')
    .option('--days <n>', 'report certificates with fewer than N whole days left as findings', '30')
    .option('--csv', 'print CSV (RFC 4180: a header record, then one record per certificate) instead of a table')
    .option('-c, --concurrency <n>', 'targets in flight at once (default 32)', (v) => Number.parseInt(v, 10))
    .option('-t, --timeout <seconds>', 'per-target timeout', (v) => Number.parseFloat(v))
    .addHelpText(
      'after',
      [
        '',
        'Every ACM certificate of every key type (RSA and EC: ListCertificates hides EC and',
        'RSA-4096 keys unless asked) and, once per account, every IAM server certificate',
        '(region "global"; expiry read from the certificate body).',
        '',
        ...SWEEP_REGIONS_HELP,
        '',
        'Severity, the first that applies: expired; under-7-days and under-days (fewer than',
        '--days whole days left); renewal-failing (ACM managed renewal FAILED); imported (an',
        'imported or IAM certificate further out than --days: nothing renews it); unused;',
        'ok. The first four are findings. The table is sorted by days left.',
        '',
        '--json prints one NDJSON line per certificate as accounts finish: account, region,',
        'arn, domain, sans, type, keyAlgorithm, status, notAfter, daysLeft, inUse, inUseBy,',
        'renewalStatus, severity; a target that failed is a line with error.code.',
        '',
        'Exit codes: 0 no findings; 12 findings; 10 some targets failed (coverage is',
        'incomplete, whatever was found); 130 interrupted; other codes: setup failed.',
        '',
        'Examples:',
        '  rolehop certs --org --regions eu-west-1',
        '  rolehop certs --org --days 14 --json > certs.ndjson',
        '  rolehop certs --accounts-file accounts.txt --regions all --csv > certs.csv',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/certs.js')));
};
