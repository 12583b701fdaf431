import { accountTargets } from '../../engine/enabled-regions.js';
import type { FanOutOptions } from '../../engine/fan-out.js';
import type { RegionChoice } from '../../engine/regions.js';
import type { SelectedAccount } from '../../engine/selection.js';
import type { FanOutTarget } from '../../engine/types.js';
import type { CliContext } from '../cli-context.js';
import { regionLookupLine } from '../output/region-lookup-line.js';
import { uncheckedWarning } from '../output/unchecked-regions.js';
import { progressBar } from './progress-bar.js';

/** What a regional fan-out covers: the accounts, the `--regions` choice, and where each account is asked for its regions. */
export interface RegionalSelection {
  accounts: SelectedAccount[];
  regions: RegionChoice;
  checkRegion: string;
}

/**
 * Every account × its regions for the choice (see `accountTargets`: `all`
 * and listed opt-in regions are asked of each account, on `shared`'s pool
 * so the job after it assumes each role no second time). While they are
 * asked, a terminal's stderr shows how many have answered (see
 * `progressBar`: not with `--json`, nor off a terminal); that line is gone
 * when this returns or throws. Accounts that could not be asked get one
 * warning on stderr, written after it and before the run's bar is drawn,
 * unless `shared.signal` stopped the asking; their targets are the default
 * (or listed) regions.
 */
export async function regionTargets(
  cli: Pick<CliContext, 'stderr' | 'screen' | 'json'>,
  selection: RegionalSelection,
  shared: FanOutOptions<string[]>,
): Promise<FanOutTarget[]> {
  // Asking nothing (no `all`, no opt-in region) starts no sweep, so nothing is drawn.
  const bar = await progressBar(cli, regionLookupLine);
  const { targets, unchecked } = await accountTargets(selection.accounts, selection.regions, selection.checkRegion, {
    ...shared,
    onStart: (stats) => bar.start(stats),
  }).finally(() => bar.stop());
  // Stopped (Ctrl-C) while asking: the accounts did not refuse, and the run says it was interrupted.
  if (unchecked.length && !shared.signal?.aborted) cli.stderr.write(uncheckedWarning(unchecked, selection.regions));
  return targets;
}
