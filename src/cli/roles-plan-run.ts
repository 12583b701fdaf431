import type { PlannedRole } from '../bundles/account-plan.js';
import type { Bundle } from '../bundles/model.js';
import { planBundle } from '../bundles/plan-bundle.js';
import type { CliContext } from './cli-context.js';
import type { RunProgress } from './output/run-progress.js';
import { accountPlanText, planJsonLine } from './output/roles-plan-view.js';
import type { RolesSetup } from './roles-setup.js';

/** What a plan found, in account order of completion. */
export interface CollectedPlan {
  entries: PlannedRole[];
  accounts: string[];
}

/**
 * Plans the bundle over the setup's accounts with a progress bar on a
 * terminal, printing each account as it finishes: with `--json` one line
 * per (account, role), else the roles that would change.
 */
export async function collectPlan(
  cli: CliContext,
  bundle: Bundle,
  setup: RolesSetup,
  opts: { adopt?: boolean; withPrune?: boolean; print: boolean },
): Promise<CollectedPlan> {
  const showBar = cli.screen.canShowStatus && !cli.json;
  const { startProgress } = showBar ? await import('./output/run-progress.js') : { startProgress: undefined };
  let progress: RunProgress | undefined;
  const run = planBundle(bundle, setup.targets, {
    ...setup.sweep,
    ...(opts.adopt ? { adopt: true } : {}),
    ...(opts.withPrune ? { withPrune: true } : {}),
    onStart: (stats) => {
      if (startProgress && stats.total > 0) progress = startProgress(cli.screen, stats);
    },
  });
  const out: CollectedPlan = { entries: [], accounts: [] };
  try {
    for await (const p of run) {
      // Stopped by Ctrl-C or a closed stdout: not planned, rather than unreachable.
      if (p.error?.code === 'ERR_ABORTED') continue;
      // The identity account's side comes as its own plan; the account is counted once.
      if (!out.accounts.includes(p.account)) out.accounts.push(p.account);
      out.entries.push(...p.entries);
      if (!opts.print) continue;
      if (cli.json) cli.screen.out(p.entries.map((e) => planJsonLine(e) + '\n').join(''));
      else cli.screen.out(accountPlanText(p.entries));
    }
  } finally {
    progress?.stop();
  }
  return out;
}
