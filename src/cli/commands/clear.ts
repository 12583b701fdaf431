import { closeNames, didYouMeanProfile } from '../../config/close-names.js';
import { clearedSessionsLine } from '../output/cleared-sessions.js';
import type { CliContext, CommandHandler } from '../cli-context.js';
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

/**
 * What `clear NAME` says when it cleared nothing and NAME is neither a
 * profile of the config nor a stored key, most likely a typo: that no such
 * profile exists, and the close names. Undefined otherwise, and when the
 * config cannot be read (clearing never needed it, so it is no failure).
 * Never refuses: a name gone from the config may still have had sessions.
 */
async function unknownProfileHint(cli: CliContext, name: string): Promise<string | undefined> {
  let config;
  try {
    config = cli.config();
  } catch {
    return undefined;
  }
  // The vault's index is plain metadata: this never asks for a passphrase.
  const keys = (await cli.vault().catch(() => undefined))?.list().map((k) => k.profile) ?? [];
  if (config.profiles.has(name) || keys.includes(name)) return undefined;
  const near = closeNames(name, new Set([...config.profiles.keys(), ...keys]));
  return `No profile "${name}" in ${config.path}, and no key stored for it. ${didYouMeanProfile(near) || '`rolehop list` shows all profiles.'}`;
}

/**
 * Clears the sessions, all or those involving the profile. The executable's
 * fast path (src/cli/bin.ts) clears named profiles itself only when it
 * cleared some, and hands the zero case here, so the hint above is said in
 * one place.
 */
export default (async (cli, args, opts) => {
  const profile = args[0] === undefined ? undefined : requireProfile(args[0]);
  const n = (opts.alreadyCleared ?? 0) + (await (await cli.broker()).clearSessions(profile));
  const hint = n === 0 && profile !== undefined ? await unknownProfileHint(cli, profile) : undefined;
  if (cli.json) cli.stdout.write(JSON.stringify({ profile: profile ?? null, sessionsCleared: n, ...(hint ? { hint } : {}) }) + '\n');
  else cli.stderr.write(clearedSessionsLine(n, profile) + (hint ? `  hint: ${hint}\n` : ''));
  return 0;
}) satisfies CommandHandler<ClearOptions>;
