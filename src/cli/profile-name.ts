import { PROFILE_NAME_RULE, profileNameProblem, quotedName, RESERVED_NAME } from '../config/profile-name.js';
import { ErrorCodes, RolehopError } from '../errors.js';

/**
 * Checks a profile argument and returns it; ERR_USAGE when missing or when
 * rolehop cannot use the name (see `profileNameProblem`), before anything
 * is read or written under that name. `allowReserved` lets `remove` take
 * "__proto__", to delete a key an older rolehop stored under it.
 */
export function requireProfile(arg: string | undefined, opts: { allowReserved?: boolean } = {}): string {
  if (!arg) throw new RolehopError(ErrorCodes.USAGE, 'A profile name is required', { hint: 'See `rolehop list` for the profiles in your config.' });
  if (opts.allowReserved && arg === RESERVED_NAME) return arg;
  const problem = profileNameProblem(arg);
  if (problem) {
    throw new RolehopError(ErrorCodes.USAGE, `${quotedName(arg)} cannot be used as a profile name: it ${problem}`, { hint: PROFILE_NAME_RULE });
  }
  return arg;
}
