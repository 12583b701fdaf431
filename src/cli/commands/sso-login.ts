import { ErrorCodes, RolehopError } from '../../errors.js';
import { ssoToken } from '../../sso/sso-token.js';
import type { SsoFlow } from '../../sso/types.js';
import type { CommandHandler } from '../cli-context.js';
import { ssoDepsFor } from '../sso-deps.js';
import { chooseSsoSession } from '../sso-session-choice.js';
import { ssoPresenter } from '../sso-presenter.js';

interface Opts {
  session?: string;
  profile?: string;
  deviceCode?: boolean;
  pkce?: boolean;
  browser?: boolean;
}

export default (async (cli, _args, opts) => {
  if (opts.deviceCode && opts.pkce)
    throw new RolehopError(ErrorCodes.USAGE, '--device-code and --pkce cannot be combined', { hint: 'Choose one sign-in flow.' });
  const session = chooseSsoSession(cli, opts);
  const flow: SsoFlow | undefined = opts.pkce ? 'pkce' : opts.deviceCode ? 'device' : undefined;
  const token = await ssoToken(session, ssoDepsFor(cli, ssoPresenter(cli, { browser: opts.browser !== false })), {
    forceLogin: true,
    ...(flow ? { flow } : {}),
  });
  const expiresAt = token.expiresAt.toISOString();
  if (cli.json) cli.stdout.write(JSON.stringify({ session: session.name, startUrl: session.startUrl, region: session.region, expiresAt }) + '\n');
  else cli.stderr.write(`Signed in to "${session.name}"; the token is valid until ${expiresAt} and is refreshed as needed.\n`);
  return 0;
}) satisfies CommandHandler<Opts>;
