import { ErrorCodes, RolehopError } from '../../errors.js';
import type { CommandHandler } from '../cli-context.js';
import { requireProfile } from '../profile-name.js';

export default (async (cli, args) => {
  const profile = requireProfile(args[0]);
  const vault = await cli.vault();
  if (!vault.has(profile)) {
    throw new RolehopError(ErrorCodes.NO_STORED_KEY, `No key is stored for profile "${profile}"`, { hint: 'See `rolehop list` for stored keys.' });
  }
  await vault.remove(profile);
  const sessions = await (await cli.broker()).clearSessions(profile);
  if (cli.json) cli.stdout.write(JSON.stringify({ profile, removed: true, sessionsCleared: sessions }) + '\n');
  else cli.stderr.write(`Removed the key of profile "${profile}" and ${sessions} cached session(s).\n`);
  return 0;
}) satisfies CommandHandler;
