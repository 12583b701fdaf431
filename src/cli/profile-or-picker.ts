import { ErrorCodes, RolehopError } from '../errors.js';
import type { CliContext } from './cli-context.js';
import { requireProfile } from './profile-name.js';

/**
 * The profile a command runs as: the argument when given (checked by
 * `requireProfile`); when left out and both stdin and stderr are terminals,
 * the one picked in the profile picker (loaded only then, so named-profile
 * runs never pay for it); otherwise ERR_USAGE, because a script must never
 * hang on a question nobody sees.
 */
export async function profileOrPicker(cli: CliContext, arg: string | undefined): Promise<string> {
  if (arg !== undefined) return requireProfile(arg);
  if (!cli.tty.stdin || !cli.tty.stderr) {
    throw new RolehopError(ErrorCodes.USAGE, 'A profile name is required', {
      hint: 'Name a profile (see `rolehop list`); on a terminal, leaving it out opens a picker.',
    });
  }
  const { pickProfile } = await import('./picker/pick-profile.js');
  return requireProfile(await pickProfile(cli));
}
