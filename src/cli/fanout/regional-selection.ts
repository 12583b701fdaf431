import { checkRegionFor } from '../../engine/enabled-regions.js';
import { parseRegionChoice, type RegionChoice } from '../../engine/regions.js';
import type { Broker } from '../../sessions/broker-contract.js';
import { planOf, resolveSelection, selectionSpec, type Selection, type SelectionOpts } from '../account-selection.js';
import type { CliContext } from '../cli-context.js';
import type { RegionalSelection } from './region-targets.js';

/** The flags {@link resolveRegionalSelection} reads: the selection and `--regions`. */
export interface RegionalSelectionOpts extends SelectionOpts {
  regions?: string;
  allowNewRegions?: boolean;
}

/** A source profile's selection for a regional fan-out: its broker and plan, and the accounts and regions to cover. */
export interface ProfileSelection extends RegionalSelection, Selection {
  broker: Broker;
  plan: ReturnType<Broker['plan']>;
}

/**
 * Resolves `--accounts`/`--org`/… and `--regions` for `profile` (see
 * `selectionProfile`): the regions default to the profile's region;
 * `mustInclude` is added to the listed ones, with or without `all`. The
 * accounts are asked for nothing yet (see `regionTargets`); Organizations
 * is read, in the region the accounts will be asked in, only when the
 * selection needs it. Throws ERR_USAGE for a bad selection or region name.
 */
export async function resolveRegionalSelection(
  cli: CliContext,
  opts: RegionalSelectionOpts,
  source: { profile: string; defaulted: boolean },
  mustInclude: string[] = [],
): Promise<ProfileSelection> {
  const spec = await selectionSpec(cli, opts);
  const broker = await cli.broker();
  const plan = planOf(broker, source.profile, source.defaulted);
  const given = parseRegionChoice(opts.regions, plan.region, { allowNew: !!opts.allowNewRegions });
  const regions: RegionChoice = mustInclude.length ? { all: given.all, listed: [...new Set([...given.listed, ...mustInclude])] } : given;
  const checkRegion = checkRegionFor(regions, plan.region);
  const { accounts, inventory } = await resolveSelection(cli, spec, {
    broker,
    profile: source.profile,
    plan,
    region: checkRegion,
    ...(opts.refreshOrg ? { refresh: true } : {}),
  });
  return { broker, plan, regions, checkRegion, accounts, ...(inventory ? { inventory } : {}) };
}
