import type { BundleTarget } from '../../bundles/account-filter.js';
import { applyBundle } from '../../bundles/apply-bundle.js';
import { assertPlanCurrent, parseSavedPlan } from '../../bundles/plan-file.js';
import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import { readFileOrPipe } from '../../io/read-regular-file.js';
import type { CommandHandler } from '../cli-context.js';
import { endedByClosedStdout } from '../closed-stdout.js';
import { applyLine, applySummary, planSummary } from '../output/roles-plan-view.js';
import { plural } from '../output/plural.js';
import { collectPlan } from '../roles-plan-run.js';
import { loadBundle, rolesSetup, type RolesOpts } from '../roles-setup.js';

/** Options of `roles apply` and `roles prune`. */
export interface ConvergeOpts extends RolesOpts {
  plan?: string;
  yes?: boolean;
  adopt?: boolean;
  maxFailures?: string;
  canary?: boolean;
  verify?: boolean;
}

/** `--max-failures N` or `N%` of the accounts to change. */
export function parseMaxFailures(spec: string | undefined, accounts: number): number {
  if (spec === undefined) return 0;
  const m = /^(\d+)(%?)$/.exec(spec.trim());
  if (!m)
    throw new RolehopError(ErrorCodes.USAGE, `--max-failures "${spec}" is not a count or a percentage`, {
      hint: 'For example --max-failures 3 or --max-failures 5%.',
    });
  const n = Number(m[1]);
  return m[2] ? Math.floor((accounts * n) / 100) : n;
}

/**
 * `roles apply` (mode apply) and `roles prune` (mode prune): plan, show,
 * confirm, converge. With `--plan`, the saved plan must still match a fresh
 * one, else nothing is changed (ERR_PLAN_STALE).
 */
export function convergeCommand(mode: 'apply' | 'prune'): CommandHandler<ConvergeOpts> {
  return async (cli, [file], opts) => {
    const bundle = await loadBundle(cli, file!);
    parseMaxFailures(opts.maxFailures, 0); // a typo fails before any AWS call
    const saved = opts.plan ? parseSavedPlan((await readFileOrPipe(opts.plan, 64 << 20, cli.signal)) ?? '', opts.plan) : undefined;
    if (!opts.yes && !(cli.tty.stdin && cli.tty.stderr))
      throw new RolehopError(ErrorCodes.USAGE, `roles ${mode} changes IAM roles and needs --yes when not on a terminal`, {
        hint: `Review with \`rolehop roles plan ${file}\` first, then pass --yes.`,
      });
    const setup = await rolesSetup(cli, bundle, opts);
    try {
      const plan = await collectPlan(cli, bundle, setup, { withPrune: true, print: !cli.json, ...(opts.adopt ? { adopt: true } : {}) });
      if (cli.signal.aborted || endedByClosedStdout())
        throw new RolehopError(ErrorCodes.ABORTED, 'Interrupted while planning; nothing was changed', { hint: 'Run the command again.' });
      if (saved) assertPlanCurrent(saved, bundle, plan.entries, plan.accounts, opts.plan!);
      const wanted = mode === 'prune' ? ['prune'] : ['create', 'update'];
      const toDo = plan.entries.filter((e) => wanted.includes(e.action));
      // Member accounts with roles to change; the identity side (policies, groups) is applied by applyBundle on its own.
      const work = new Set(toDo.filter((e) => !e.kind).map((e) => e.account));
      const accountsToChange = new Set(toDo.map((e) => e.account)).size;
      if (!cli.json) cli.stderr.write(planSummary(plan.entries, plan.accounts.length));
      if (toDo.length === 0) {
        cli.stderr.write(mode === 'prune' ? 'Nothing to prune.\n' : 'Nothing to change.\n');
        return ExitCodes.OK;
      }
      if (!opts.yes) {
        const what = mode === 'prune' ? `Delete ${plural(toDo.length, 'role')}` : `Apply ${plural(toDo.length, 'change')}`;
        const answer = await cli.prompter.text({ message: `${what} in ${plural(accountsToChange, 'account')}? [y/N]` });
        if (!/^y(es)?$/i.test(answer.trim()))
          throw new RolehopError(ErrorCodes.ABORTED, 'Cancelled; nothing was changed', { hint: 'Pass --yes to skip the question.' });
      }
      const targets: BundleTarget[] = setup.targets.filter((t) => work.has(t.account));
      const report = await applyBundle(bundle, targets, {
        ...setup.sweep,
        mode,
        ...(opts.adopt ? { adopt: true } : {}),
        ...(opts.canary === false ? { canary: false } : {}),
        ...(opts.verify === false ? { verify: false } : {}),
        maxFailures: parseMaxFailures(opts.maxFailures, targets.length),
        onAccount: (r) => cli.screen.out(cli.json ? JSON.stringify(r) + '\n' : applyLine(r)),
      });
      cli.stderr.write(applySummary(report, mode === 'prune' ? 'Pruned' : 'Applied'));
      if (cli.signal.aborted) return ExitCodes.INTERRUPTED;
      return report.failed || report.skipped ? ExitCodes.PARTIAL : ExitCodes.OK;
    } finally {
      setup.close();
    }
  };
}
