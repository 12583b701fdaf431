import type { RegionChoice } from '../../engine/regions.js';
import type { TargetResult } from '../../engine/types.js';
import { plural } from './plural.js';

/**
 * The stderr warning of a sweep (`run`, `certs`, `ami`) some of whose
 * accounts could not be asked for their enabled regions: how many, the
 * first one's error code and message, and what was swept there instead
 * (the default regions for `all`, else the listed ones unchecked). Ends
 * with a newline. `unchecked` must not be empty.
 */
export function uncheckedWarning(unchecked: TargetResult[], regions: RegionChoice): string {
  const first = unchecked[0]!;
  const instead = regions.all ? 'used the 17 regions every account has there' : 'used the listed regions there unchecked';
  return `rolehop: warning: could not list the enabled regions of ${plural(unchecked.length, 'account')} (${first.account}: ${first.error?.code ?? 'failed'}${first.error?.message ? `, ${first.error.message}` : ''}); ${instead}. The role needs ec2:DescribeRegions.\n`;
}
