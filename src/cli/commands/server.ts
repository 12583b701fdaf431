import type { CommandHandler } from '../cli-context.js';
import { isolationFor, startServerFor, type ServerHandle } from '../exec-server-mode.js';
import { keepRunningWhenStdoutCloses } from '../closed-stdout.js';
import { requireProfile } from '../profile-name.js';

interface Opts {
  imds?: boolean;
  duration?: number;
  region?: string;
  session?: boolean;
}

/** The variables a process needs to use a server, in print order. */
function variables(handle: ServerHandle, region: string | undefined, isolation: ReturnType<typeof isolationFor>): Record<string, string> {
  const v: Record<string, string> =
    handle.kind === 'ecs'
      ? { AWS_CONTAINER_CREDENTIALS_FULL_URI: handle.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: handle.token }
      : { AWS_EC2_METADATA_SERVICE_ENDPOINT: handle.url, AWS_EC2_METADATA_V1_DISABLED: 'true' };
  if (region) {
    v.AWS_REGION = region;
    v.AWS_DEFAULT_REGION = region;
  }
  if (isolation.hideConfigFile) v.AWS_CONFIG_FILE = '/dev/null';
  if (isolation.hideCredentialsFile) v.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  return v;
}

/** Variables that would make a process ignore the server: `unset` in shell output. */
const UNSET = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
];

export default (async (cli, args, opts) => {
  const profile = requireProfile(args[0]);
  // Whoever reads the variables (`| head -2`, a wrapper script) may go away; the server is for other processes and goes on.
  keepRunningWhenStdoutCloses();
  const mode = opts.imds ? 'imds' : 'ecs';
  const server = await startServerFor(cli, profile, mode, {
    ...(opts.duration ? { durationSeconds: opts.duration } : {}),
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.session === false ? { noSession: true } : {}),
  });
  try {
    const vars = variables(server.handle, server.region, isolationFor(cli));
    if (cli.json) {
      cli.stdout.write(JSON.stringify({ profile, mode, url: server.handle.url, env: vars, unset: UNSET }) + '\n');
    } else {
      cli.stdout.write(`unset ${UNSET.join(' ')}\n`);
      for (const [k, v] of Object.entries(vars)) cli.stdout.write(`export ${k}='${v}'\n`);
    }
    cli.stderr.write(`rolehop: serving credentials for "${profile}" on ${server.handle.url} (${mode}); press Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      if (cli.signal.aborted) return resolve();
      cli.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return 0;
  } finally {
    await server.close();
  }
}) satisfies CommandHandler<Opts>;
