import { plural } from '../output/plural.js';
import { ErrorCodes, RolehopError } from '../../errors.js';
import type { CommandHandler } from '../cli-context.js';
import { RESERVED_NAME } from '../../config/profile-name.js';
import { requireProfile } from '../profile-name.js';

function noKey(profile: string): RolehopError {
  return new RolehopError(ErrorCodes.NO_STORED_KEY, `No key is stored for profile "${profile}"`, { hint: 'See `rolehop list` for stored keys.' });
}

export default (async (cli, args) => {
  const profile = requireProfile(args[0], { allowReserved: true });
  const vault = await cli.vault();
  // An older rolehop stored "__proto__" keys in the store but lost them from
  // the index, so only the store can say whether one is there.
  const orphan = profile === RESERVED_NAME;
  if (!orphan && !vault.has(profile)) throw noKey(profile);
  if (!(await vault.remove(profile)) && orphan) throw noKey(profile);
  const sessions = await (await cli.broker()).clearSessions(profile);
  if (cli.json) cli.stdout.write(JSON.stringify({ profile, removed: true, sessionsCleared: sessions }) + '\n');
  else cli.stderr.write(`Removed the key of profile "${profile}" and ${plural(sessions, 'cached session')}.\n`);
  return 0;
}) satisfies CommandHandler;
