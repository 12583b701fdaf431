import { resolve } from 'node:path';
import { savedPlan } from '../../bundles/plan-file.js';
import { ExitCodes } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { CommandHandler } from '../cli-context.js';
import { endedByClosedStdout } from '../closed-stdout.js';
import { countActions, planSummary } from '../output/roles-plan-view.js';
import { collectPlan } from '../roles-plan-run.js';
import { loadBundle, rolesSetup, type RolesOpts } from '../roles-setup.js';

interface Opts extends RolesOpts {
  out?: string;
  adopt?: boolean;
}

/** `rolehop roles plan FILE [selection]`: what apply would change; exit 11 when anything would (drift). */
export default (async (cli, [file], opts) => {
  const bundle = await loadBundle(cli, file!);
  const setup = await rolesSetup(cli, bundle, opts);
  let plan;
  try {
    plan = await collectPlan(cli, bundle, setup, { withPrune: true, print: true, ...(opts.adopt ? { adopt: true } : {}) });
  } finally {
    setup.close();
  }
  const total = new Set([...setup.targets.map((t) => t.account), ...(bundle.identity ? [bundle.identity.account] : [])]).size;
  if (endedByClosedStdout()) {
    cli.stderr.write(`rolehop: stdout was closed: ${plan.accounts.length} of ${total} accounts planned\n`);
    return ExitCodes.INTERRUPTED;
  }
  if (cli.signal.aborted) {
    cli.stderr.write(`rolehop: interrupted: ${plan.accounts.length} of ${total} accounts planned; nothing was changed\n`);
    return ExitCodes.INTERRUPTED;
  }
  // Saved only when complete: an interrupted plan is not one to apply.
  if (opts.out) {
    await writeFileAtomic(resolve(opts.out), JSON.stringify(savedPlan(bundle, plan.entries, plan.accounts), null, 2) + '\n', 0o644);
    cli.stderr.write(`rolehop: plan written to ${opts.out}; apply it with: rolehop roles apply ${file} --plan ${opts.out} (and the same selection)\n`);
  }
  cli.stderr.write(planSummary(plan.entries, plan.accounts.length));
  const n = countActions(plan.entries);
  if (n.unreachable) return ExitCodes.PARTIAL;
  return n.create || n.update || n.prune || n.conflict ? ExitCodes.CHANGES : ExitCodes.OK;
}) satisfies CommandHandler<Opts>;
