import { iamSigningRegion } from '../../aws/iam.js';
import { parseAccountList } from '../../engine/selection.js';
import { ExitCodes } from '../../errors.js';
import { sortFindings, type TrustFinding } from '../../sweeps/trust/trust-findings.js';
import { trustAuditJob } from '../../sweeps/trust/trust-job.js';
import type { CommandHandler } from '../cli-context.js';
import { coverageExit } from '../fanout/fan-out-end.js';
import { escapeControl } from '../output/escape-control.js';
import { plural } from '../output/plural.js';
import { writeTable } from '../output/row-table.js';
import { runSweep, sweepSetup, type SweepOpts } from '../sweep-run.js';

interface Opts extends SweepOpts {
  allowAccounts?: string;
  allowService?: string[];
  allowFederated?: string[];
}

/** One `--json` line per finding. */
function findingLine(f: TrustFinding): string {
  return (
    JSON.stringify({
      account: f.account,
      role: f.role,
      roleArn: f.roleArn,
      statement: f.statement,
      principal: f.principal,
      reason: f.reason,
      severity: f.severity,
    }) + '\n'
  );
}

/**
 * `rolehop audit trust [selection]`: every role whose trust policy lets in
 * a stranger, anyone, or another account without MFA. Exit 12 when
 * anything is found, 10 when some accounts could not be read.
 */
export default (async (cli, _args, opts) => {
  const allow = opts.allowAccounts ? parseAccountList(opts.allowAccounts, '--allow-accounts') : [];
  const setup = await sweepSetup(cli, opts);
  // Ours: the organisation when the inventory is at hand, else the selection and the source account.
  const org = setup.inventory ? (await setup.inventory.accounts()).map((a) => a.id) : setup.accounts.map((a) => a.account);
  const known = new Set([...org, ...(setup.session.accountId ? [setup.session.accountId] : [])]);
  const job = trustAuditJob({
    knownAccounts: known,
    allowedAccounts: new Set(allow),
    ...(opts.allowService?.length ? { expectedServices: new Set(opts.allowService) } : {}),
    ...(opts.allowFederated?.length ? { expectedFederated: new Set(opts.allowFederated) } : {}),
  });
  // IAM is global: one unit per account.
  const region = iamSigningRegion(setup.plan.region);
  const findings: TrustFinding[] = [];
  const outcome = await runSweep(cli, opts, setup, job, {
    targets: setup.accounts.map((a) => ({ account: a.account, region, ...(a.name ? { name: a.name } : {}) })),
    sessionName: 'rolehop-audit',
    onValue: (r) => {
      findings.push(...(r.value ?? []));
      if (cli.json) cli.screen.out((r.value ?? []).map(findingLine).join(''));
    },
  });
  if (!outcome) return ExitCodes.INTERRUPTED;
  const { stats, failed } = outcome;
  if (!cli.json && findings.length) {
    const rows = sortFindings(findings).map((f) => [f.severity, f.account, f.role, escapeControl(f.principal), escapeControl(f.reason)]);
    await writeTable(cli.stdout, ['severity', 'account', 'role', 'principal', 'why'], rows, { signal: cli.signal });
  }
  const by = (s: string) => findings.filter((f) => f.severity === s).length;
  const counts = findings.length ? ` (${by('high')} high, ${by('medium')} medium, ${by('low')} low)` : '';
  const roles = new Set(findings.map((f) => f.roleArn)).size;
  cli.stderr.write(
    `${plural(findings.length, 'finding')}${counts} in ${plural(roles, 'role')}, ${plural(stats.ok, 'account')} audited${failed.length ? `; ${failed.length} could not be read` : ''}.\n`,
  );
  return coverageExit({ failed: failed.length > 0, findings: findings.length > 0 });
}) satisfies CommandHandler<Opts>;
