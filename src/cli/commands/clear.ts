import { clearedSessionsLine } from '../output/cleared-sessions.js';
import type { CommandHandler } from '../cli-context.js';
import { requireProfile } from '../profile-name.js';

export default (async (cli, args) => {
  const profile = args[0] === undefined ? undefined : requireProfile(args[0]);
  const n = await (await cli.broker()).clearSessions(profile);
  if (cli.json) cli.stdout.write(JSON.stringify({ profile: profile ?? null, sessionsCleared: n }) + '\n');
  else cli.stderr.write(clearedSessionsLine(n, profile));
  return 0;
}) satisfies CommandHandler;
