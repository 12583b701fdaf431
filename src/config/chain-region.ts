import type { AwsConfig } from './aws-config.js';
import { profileValue } from './profile-values.js';

/** Where a profile's region comes from: its own `region`, or the nearest one up its `source_profile` chain. */
export interface ChainRegion {
  region: string;
  /** The profile whose `region` this is (the profile itself when set there). */
  from: string;
}

/** The profile a role profile takes its credentials from, as `walkChain` follows it; undefined at a chain's source. */
function nextInChain(config: AwsConfig, name: string): string | undefined {
  const section = config.profiles.get(name);
  if (!section || profileValue(section, 'role_arn') === undefined) return undefined;
  if (profileValue(section, 'credential_source') !== undefined) return undefined;
  const next = profileValue(section, 'source_profile');
  return next === name ? undefined : next;
}

/**
 * The region `resolvePlan` would take from the config for every profile (the
 * nearest `region` walking from the profile towards its source; `--region`
 * and `AWS_REGION` are not config and not seen here). Pure and linear in the
 * number of profiles: each chain is walked once, iteratively (chains may be
 * deeper than the stack), and results are shared. A profile on a
 * `source_profile` cycle without a region on it gets none (resolvePlan
 * refuses such a chain anyway).
 */
export function chainRegions(config: AwsConfig): Map<string, ChainRegion | undefined> {
  const memo = new Map<string, ChainRegion | undefined>();
  for (const start of config.profiles.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let found: ChainRegion | undefined;
    for (let cur: string | undefined = start; cur !== undefined; cur = nextInChain(config, cur)) {
      if (memo.has(cur)) {
        found = memo.get(cur);
        break;
      }
      if (onPath.has(cur)) break;
      const own = config.profiles.has(cur) ? profileValue(config.profiles.get(cur)!, 'region') : undefined;
      if (own !== undefined) {
        found = { region: own, from: cur };
        memo.set(cur, found);
        break;
      }
      path.push(cur);
      onPath.add(cur);
    }
    for (const name of path) memo.set(name, found);
  }
  return memo;
}
