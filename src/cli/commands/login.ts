import { createConsoleLogin } from '../../console/console-login.js';
import { openUrl } from '../../console/open-url.js';
import { ErrorCodes, RolehopError } from '../../errors.js';
import type { CommandHandler } from '../cli-context.js';
import { requireProfile } from '../profile-name.js';

interface Opts {
  stdout?: boolean;
  region?: string;
  path?: string;
  browserProfile?: string;
  duration?: number;
}

/** Sign-in links stay valid this long (AWS federation). */
const LINK_SECONDS = 900;

export default (async (cli, args, opts) => {
  const profile = requireProfile(args[0]);
  if (opts.duration !== undefined && !Number.isInteger(opts.duration)) {
    throw new RolehopError(ErrorCodes.USAGE, '--duration takes whole seconds', { hint: 'For example --duration 3600.' });
  }
  const broker = await cli.broker();
  const login = await createConsoleLogin(
    { broker, logger: cli.logger, signal: cli.signal },
    {
      profile,
      ...(opts.region ? { region: opts.region } : {}),
      ...(opts.path ? { path: opts.path } : {}),
      ...(opts.duration !== undefined ? { durationSeconds: opts.duration } : {}),
      ...(cli.env.ROLEHOP_FEDERATION_ENDPOINT ? { federationEndpoint: cli.env.ROLEHOP_FEDERATION_ENDPOINT } : {}),
    },
  );
  const summary = {
    profile,
    destination: login.destination,
    partition: login.partition,
    ...(login.region ? { region: login.region } : {}),
    credentials: login.kind,
    ...(login.sessionDuration !== undefined ? { sessionDurationSeconds: login.sessionDuration } : {}),
    linkExpiresInSeconds: LINK_SECONDS,
  };
  if (opts.stdout) {
    // The only place the link is ever written: on stdout, because it was asked for.
    cli.stdout.write(cli.json ? JSON.stringify({ ...summary, url: login.url }) + '\n' : `${login.url}\n`);
    return 0;
  }
  const section = cli.config().profiles.get(profile);
  const browserCommand = cli.env.ROLEHOP_BROWSER_COMMAND || section?.browser_command;
  const browserProfile = opts.browserProfile ?? section?.browser_profile ?? (browserCommand ? profile : undefined);
  await openUrl(login.url, {
    ...(browserCommand ? { browserCommand } : {}),
    ...(browserProfile ? { browserProfile } : {}),
  });
  if (cli.json) cli.stdout.write(JSON.stringify({ ...summary, opened: true }) + '\n');
  else cli.stderr.write(`Opened the AWS console for "${profile}" (${login.destination}).\n`);
  return 0;
}) satisfies CommandHandler<Opts>;
