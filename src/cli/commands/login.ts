import { createConsoleLogin } from '../../console/console-login.js';
import { join } from 'node:path';
import { openSignInLink } from '../../console/open-url.js';
import { ErrorCodes, isRolehopError, RolehopError } from '../../errors.js';
import type { CommandHandler } from '../cli-context.js';
import { profileOrPicker } from '../profile-or-picker.js';

interface Opts {
  stdout?: boolean;
  region?: string;
  path?: string;
  browserProfile?: string;
  duration?: number;
}

/** Sign-in links stay valid this long (AWS federation). */
const LINK_SECONDS = 900;
/** How long the hand-off page waits for the browser, unless ROLEHOP_LOGIN_HANDOFF_SECONDS says otherwise. */
const HANDOFF_SECONDS = 60;

function handoffSeconds(raw: string | undefined): number {
  if (raw === undefined || raw === '') return HANDOFF_SECONDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > LINK_SECONDS) {
    throw new RolehopError(ErrorCodes.USAGE, 'ROLEHOP_LOGIN_HANDOFF_SECONDS takes whole seconds from 1 to 900', { hint: 'Unset it to keep the default (60).' });
  }
  return n;
}

export default (async (cli, args, opts) => {
  if (opts.duration !== undefined && !Number.isInteger(opts.duration)) {
    throw new RolehopError(ErrorCodes.USAGE, '--duration takes whole seconds', { hint: 'For example --duration 3600.' });
  }
  const profile = await profileOrPicker(cli, args[0]);
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
  // The link never goes into the browser's argv (`ps` shows argv to every
  // local user): the browser gets a private page that redirects to it.
  try {
    await openSignInLink(login.url, {
      handoffDir: join(cli.rolehopHome, 'login'),
      keepMs: handoffSeconds(cli.env.ROLEHOP_LOGIN_HANDOFF_SECONDS) * 1000,
      env: cli.env,
      ...(browserCommand ? { browserCommand } : {}),
      ...(browserProfile ? { browserProfile } : {}),
    });
  } catch (e) {
    // No browser: a person at a terminal gets the link, with a warning; a
    // pipe, file or --json (scripts, CI logs that are kept) gets the error
    // and its --stdout hint, so a secret never lands in a log unasked.
    if (!isRolehopError(e) || e.code !== ErrorCodes.CHILD_SPAWN || cli.json || !cli.tty.stdout) throw e;
    cli.logger.warn(
      `${e.message}. The sign-in link for "${profile}" follows: it is a secret that opens the console as this profile for 15 minutes; do not share it or paste it where it is kept.`,
    );
    cli.stdout.write(`${login.url}\n`);
    return 0;
  }
  if (cli.json) cli.stdout.write(JSON.stringify({ ...summary, opened: true }) + '\n');
  else cli.stderr.write(`Opened the AWS console for "${profile}" (${login.destination}).\n`);
  return 0;
}) satisfies CommandHandler<Opts>;
