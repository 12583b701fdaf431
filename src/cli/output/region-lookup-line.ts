import type { FanOutStats } from '../../engine/types.js';
import { plural } from './plural.js';

/**
 * The status line while each account is asked for its enabled regions,
 * before a `--regions all` fan-out starts: "Asking 240 accounts for their
 * enabled regions  37/240", with the accounts that could not be asked so
 * far (they are warned about when the asking ends). A `ProgressLine`.
 */
export function regionLookupLine(stats: FanOutStats): string {
  const whose = stats.total === 1 ? 'its' : 'their';
  const failed = stats.failed ? ` | failed ${stats.failed}` : '';
  return `Asking ${plural(stats.total, 'account')} for ${whose} enabled regions  ${stats.done}/${stats.total}${failed}`;
}
