import { clearedSessionsLine } from '../output/cleared-sessions.js';
import type { CommandHandler } from '../cli-context.js';
import { requireProfile } from '../profile-name.js';

/** `clear`'s options; the parser gives none. */
interface ClearOptions {
  /**
   * Sessions the executable's keychain branch removed before handing over
   * the session copies it could not delete (src/hot-path/keychain-clear.ts):
   * counted as cleared here.
   */
  alreadyCleared?: number;
}

export default (async (cli, args, opts) => {
  const profile = args[0] === undefined ? undefined : requireProfile(args[0]);
  const n = (opts.alreadyCleared ?? 0) + (await (await cli.broker()).clearSessions(profile));
  if (cli.json) cli.stdout.write(JSON.stringify({ profile: profile ?? null, sessionsCleared: n }) + '\n');
  else cli.stderr.write(clearedSessionsLine(n, profile));
  return 0;
}) satisfies CommandHandler<ClearOptions>;
