import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCodes, RolehopError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { CommandHandler } from '../cli-context.js';
import { isolationFor, startServerFor, type ServerHandle } from '../exec-server-mode.js';
import { keepRunningWhenStdoutCloses } from '../closed-stdout.js';
import { requireProfile } from '../profile-name.js';

interface Opts {
  imds?: boolean;
  duration?: number;
  region?: string;
  session?: boolean;
  varsFile?: string;
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

/** The variables as shell lines: `unset` of what would shadow the server, then one `export` each. */
function shellLines(vars: Record<string, string>): string {
  return [`unset ${UNSET.join(' ')}`, ...Object.entries(vars).map(([k, v]) => `export ${k}='${v}'`)].join('\n') + '\n';
}

/**
 * Writes the variables to `path`, 0600 and atomically: whoever waits for the
 * file to exist never reads half of it. Returns its removal, for when the
 * server stops and the endpoint it names is gone.
 */
async function writeVarsFile(path: string, text: string): Promise<() => void> {
  try {
    await writeFileAtomic(path, text, 0o600);
  } catch (e) {
    throw new RolehopError(ErrorCodes.USAGE, `Could not write --vars-file ${path} (${(e as { code?: string }).code ?? 'error'})`, {
      hint: 'Give a file in an existing directory you can write to.',
      cause: e,
    });
  }
  return () => rmSync(path, { force: true });
}

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
  let removeVarsFile: (() => void) | undefined;
  try {
    const vars = variables(server.handle, server.region, isolationFor(cli));
    if (opts.varsFile) {
      const file = resolve(opts.varsFile);
      removeVarsFile = await writeVarsFile(file, shellLines(vars));
      cli.stderr.write(`rolehop: wrote the variables to ${file} (load them with: . ${file})\n`);
    }
    if (cli.json) {
      cli.stdout.write(JSON.stringify({ profile, mode, url: server.handle.url, env: vars, unset: UNSET }) + '\n');
    } else if (!opts.varsFile) {
      cli.stdout.write(shellLines(vars));
    }
    cli.stderr.write(`rolehop: serving credentials for "${profile}" on ${server.handle.url} (${mode}); press Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      if (cli.signal.aborted) return resolve();
      cli.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return 0;
  } finally {
    removeVarsFile?.();
    await server.close();
  }
}) satisfies CommandHandler<Opts>;
