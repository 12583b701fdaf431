import { ssoLogout } from '../../sso/sso-logout.js';
import type { CommandHandler } from '../cli-context.js';
import { ssoDepsFor } from '../sso-deps.js';
import { chooseSsoSession } from '../sso-session-choice.js';

export default (async (cli, _args, opts) => {
  const session = chooseSsoSession(cli, opts);
  const had = await ssoLogout(session, ssoDepsFor(cli));
  if (cli.json) cli.stdout.write(JSON.stringify({ session: session.name, loggedOut: had }) + '\n');
  else cli.stderr.write(had ? `Logged out of "${session.name}".\n` : `There was no stored login for "${session.name}".\n`);
  return 0;
}) satisfies CommandHandler<{ session?: string; profile?: string }>;
