import { ErrorCodes, RolehopError } from '../../index.js';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** A duration unit: seconds, minutes, hours, days, weeks. */
export type DurationUnit = keyof typeof UNIT_MS;

/**
 * Parses a duration such as `30d`, `12h` or `30m` into milliseconds: a
 * positive whole number and one of `units`. `--older-than` leaves out `m`
 * on purpose: `6m` there could be meant as six months.
 *
 * @throws RolehopError ERR_USAGE naming `flag` for anything else.
 */
export function parseDuration(text: string, flag: string, units: readonly DurationUnit[] = ['s', 'm', 'h', 'd', 'w']): number {
  const m = /^(\d+)([a-z])$/.exec(text.trim());
  const unit = m?.[2] as DurationUnit | undefined;
  const n = m ? Number(m[1]) : 0;
  if (!m || !unit || !units.includes(unit) || !(n > 0) || !Number.isSafeInteger(n * UNIT_MS[unit]))
    throw new RolehopError(ErrorCodes.USAGE, `${flag} "${text}" is not a duration`, {
      hint: `Give a whole number and one unit of ${units.join(', ')}, for example ${flag} ${units.includes('d') ? '30d' : '30m'}.`,
    });
  return n * UNIT_MS[unit];
}
