import { accountTargets } from '../../engine/enabled-regions.js';
import type { FanOutOptions } from '../../engine/fan-out.js';
import type { RegionChoice } from '../../engine/regions.js';
import type { SelectedAccount } from '../../engine/selection.js';
import type { FanOutTarget } from '../../engine/types.js';
import type { CliContext } from '../cli-context.js';
import { uncheckedWarning } from '../output/unchecked-regions.js';

/** What a regional fan-out covers: the accounts, the `--regions` choice, and where each account is asked for its regions. */
export interface RegionalSelection {
  accounts: SelectedAccount[];
  regions: RegionChoice;
  checkRegion: string;
}

/**
 * Every account × its regions for the choice (see `accountTargets`: `all`
 * and listed opt-in regions are asked of each account, on `shared`'s pool
 * so the job after it assumes each role no second time). Accounts that
 * could not be asked get one warning on stderr, written before any bar is
 * drawn; their targets are the default (or listed) regions.
 */
export async function regionTargets(cli: Pick<CliContext, 'stderr'>, selection: RegionalSelection, shared: FanOutOptions<string[]>): Promise<FanOutTarget[]> {
  const { targets, unchecked } = await accountTargets(selection.accounts, selection.regions, selection.checkRegion, shared);
  if (unchecked.length) cli.stderr.write(uncheckedWarning(unchecked, selection.regions));
  return targets;
}
