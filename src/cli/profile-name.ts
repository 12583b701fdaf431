import { ErrorCodes, RolehopError } from '../errors.js';

const PROFILE_NAME = /^[A-Za-z0-9_.@+%:/-]+$/;

/** Checks a profile argument and returns it; ERR_USAGE when missing or malformed. */
export function requireProfile(arg: string | undefined): string {
  if (!arg) throw new RolehopError(ErrorCodes.USAGE, 'A profile name is required', { hint: 'See `rolehop list` for the profiles in your config.' });
  if (!PROFILE_NAME.test(arg)) {
    throw new RolehopError(ErrorCodes.USAGE, `"${arg}" is not a valid profile name`, { hint: 'Profile names use letters, digits and _ . @ + % : / -' });
  }
  return arg;
}
