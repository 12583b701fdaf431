import { partitionOf } from '../aws/partition.js';
import { ErrorCodes } from '../errors.js';
import { fanOut, type FanOutOptions } from './fan-out.js';
import { DEFAULT_ENABLED_REGIONS, type RegionChoice } from './regions.js';
import type { SelectedAccount } from './selection.js';
import type { FanOutTarget, JobContext, TargetResult } from './types.js';

/**
 * The job that asks an account which regions it has enabled: EC2
 * DescribeRegions with the account's own credentials. `AllRegions` so the
 * answer carries each region's opt-in status; `not-opted-in` ones are left
 * out (AWS omits them without the flag; emulators may not), and so are
 * regions of another partition than the one asked (an emulator lists them;
 * the account's role could not be assumed there).
 */
export async function describeEnabledRegions(ctx: JobContext): Promise<string[]> {
  const { EC2Client, DescribeRegionsCommand } = await import('@aws-sdk/client-ec2');
  const r = await ctx.client(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal: ctx.signal });
  const partition = partitionOf(ctx.region);
  return (r.Regions ?? []).filter((x) => x.RegionName && x.OptInStatus !== 'not-opted-in' && partitionOf(x.RegionName) === partition).map((x) => x.RegionName!);
}

/** True when `choice` needs each account asked: `all`, or a listed region that is not enabled everywhere by default. */
export function needsRegionCheck(choice: RegionChoice): boolean {
  return choice.all || choice.listed.some((r) => !DEFAULT_ENABLED_REGIONS.includes(r));
}

/**
 * Where to ask the accounts for their regions: the profile's region, else
 * a listed region every account has, else us-east-1 (never a listed opt-in
 * region, which may be the one not enabled).
 */
export function checkRegionFor(choice: RegionChoice, profileRegion: string | undefined): string {
  return profileRegion ?? choice.listed.find((r) => DEFAULT_ENABLED_REGIONS.includes(r)) ?? 'us-east-1';
}

/** What {@link accountTargets} gives. */
export interface AccountTargets {
  /** Account-major, as `toTargets`; a listed region the account has not enabled is a target with `notRun` set. */
  targets: FanOutTarget[];
  /** Accounts that could not be asked (no ec2:DescribeRegions, no AssumeRole): `all` meant the default regions there, and listed regions were taken as given. */
  unchecked: TargetResult<string[]>[];
}

/** Default-enabled regions first, in their usual order, then the account's opt-in ones by name. */
function ordered(enabled: ReadonlySet<string>): string[] {
  return [...DEFAULT_ENABLED_REGIONS.filter((r) => enabled.has(r)), ...[...enabled].filter((r) => !DEFAULT_ENABLED_REGIONS.includes(r)).sort()];
}

/**
 * The targets of a sweep over `accounts` for a `--regions` choice. When
 * {@link needsRegionCheck}, first a sweep of its own asks each account (in
 * `region`, the profile's) for its enabled regions with
 * {@link describeEnabledRegions}; pass the main sweep's `pool` in `options`
 * so that both together assume each account's role once. `all` becomes the
 * regions each account has enabled; a listed region an account has not
 * enabled stays a target, reported failed with ERR_REGION_NOT_ENABLED and
 * never run. Only the region lists are kept, never the sweep's results.
 */
export async function accountTargets(
  accounts: SelectedAccount[],
  choice: RegionChoice,
  region: string,
  options: FanOutOptions<string[]>,
): Promise<AccountTargets> {
  const enabled = new Map<string, ReadonlySet<string>>();
  const unchecked: TargetResult<string[]>[] = [];
  if (needsRegionCheck(choice)) {
    // One string per region name, whatever the number of accounts.
    const names = new Map<string, string>();
    const probes = accounts.map((a) => ({ account: a.account, region, ...(a.name !== undefined ? { name: a.name } : {}) }));
    for await (const r of fanOut(probes, describeEnabledRegions, options)) {
      if (r.ok) enabled.set(r.account, new Set((r.value ?? []).map((n) => names.get(n) ?? (names.set(n, n), n))));
      else unchecked.push(r);
    }
  }
  const targets: FanOutTarget[] = [];
  for (const a of accounts) {
    const on = enabled.get(a.account);
    const regions = choice.all ? [...new Set([...(on ? ordered(on) : DEFAULT_ENABLED_REGIONS), ...choice.listed])] : choice.listed;
    for (const r of regions) {
      const t: FanOutTarget = { account: a.account, region: r, ...(a.name !== undefined ? { name: a.name } : {}) };
      if (on && !on.has(r))
        t.notRun = {
          code: ErrorCodes.REGION_NOT_ENABLED,
          message: `${r} is not enabled in account ${a.account} (an opt-in region): not run`,
          stage: 'regions',
        };
      targets.push(t);
    }
  }
  return { targets, unchecked };
}
