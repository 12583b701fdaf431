import { devNull } from 'node:os';
import { MARKER_VARIABLES, ROLEHOP_SECRET_VARIABLES, STRIPPED_VARIABLES } from '../credentials/child-env.js';
import type { PlanOptions } from '../config/plan.js';
import type { ProfileSection } from '../config/aws-config.js';
import { awsCredentialsPath, MAX_CONFIG_BYTES } from '../config/load-config.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { readRegularFileSync, RefusedFileError } from '../io/read-regular-file.js';
import type { CredentialSource } from '../servers/credential-memo.js';
import type { CliContext } from './cli-context.js';
import { runChild } from './run-child.js';

/** Which local endpoint serves the child. */
export type ServerMode = 'ecs' | 'imds';

/** What a child needs to know about a running server. */
export type ServerHandle = { kind: 'ecs'; url: string; token: string } | { kind: 'imds'; url: string };

/** Instance-metadata variables: removed, then set again for `imds` mode only. */
export const IMDS_VARIABLES = [
  'AWS_EC2_METADATA_DISABLED',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_EC2_METADATA_V1_DISABLED',
  'AWS_IMDS_USE_IPV6',
] as const;

/** Options of {@link childEnvForServer}. */
export interface ServerEnvOptions {
  /** Set as `ROLEHOP_PROFILE` (marks the environment; nested `exec` is refused). */
  profile: string;
  /** `AWS_REGION` and `AWS_DEFAULT_REGION`. */
  region?: string;
  /** Point `AWS_CONFIG_FILE` at an empty file: its `[default]` profile would win over the server (docs/aws-behaviour.md, "Provider order"). */
  hideConfigFile?: boolean;
  /** Point `AWS_SHARED_CREDENTIALS_FILE` at an empty file: its `[default]` profile would win over the server (docs/aws-behaviour.md, "Provider order"). */
  hideCredentialsFile?: boolean;
}

/**
 * The environment of a child served by a local credential server
 * (container mode, https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html):
 * every static credential variable,
 * profile selector, web-identity, container and metadata variable of the
 * base environment is removed (and rolehop's own secrets), then
 * - `ecs`: `AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN`;
 * - `imds`: `AWS_EC2_METADATA_SERVICE_ENDPOINT` (and `AWS_EC2_METADATA_V1_DISABLED=true`,
 *   since the server requires tokens anyway; any inherited `AWS_EC2_METADATA_DISABLED`
 *   is dropped so SDKs do not skip IMDS);
 * plus both region variables and `ROLEHOP_PROFILE`.
 */
export function childEnvForServer(base: Readonly<Record<string, string | undefined>>, server: ServerHandle, opts: ServerEnvOptions): Record<string, string> {
  const drop = new Set<string>([...STRIPPED_VARIABLES, ...MARKER_VARIABLES, ...ROLEHOP_SECRET_VARIABLES, ...IMDS_VARIABLES]);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !drop.has(k)) env[k] = v;
  if (server.kind === 'ecs') {
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI = server.url;
    env.AWS_CONTAINER_AUTHORIZATION_TOKEN = server.token;
  } else {
    env.AWS_EC2_METADATA_SERVICE_ENDPOINT = server.url;
    env.AWS_EC2_METADATA_V1_DISABLED = 'true';
  }
  if (opts.region) {
    env.AWS_REGION = opts.region;
    env.AWS_DEFAULT_REGION = opts.region;
  }
  if (opts.hideConfigFile) env.AWS_CONFIG_FILE = devNull;
  if (opts.hideCredentialsFile) env.AWS_SHARED_CREDENTIALS_FILE = devNull;
  env.ROLEHOP_PROFILE = opts.profile;
  return env;
}

/** Keys that make a `[default]` profile resolve to credentials ahead of the container and IMDS providers. */
const CREDENTIAL_KEYS = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'role_arn',
  'source_profile',
  'credential_source',
  'credential_process',
  'web_identity_token_file',
  'sso_session',
  'sso_start_url',
  'sso_account_id',
  'login_session',
] as const;

/** True when a `[default]` section would give an SDK credentials before it reaches the server. */
export function defaultShadows(section: ProfileSection | undefined): boolean {
  return !!section && CREDENTIAL_KEYS.some((k) => section[k] !== undefined && section[k] !== '');
}

/** Whether the shared credentials file has a `[default]` section with any credential key (a light scan, no full INI parse). */
export function credentialsFileShadows(text: string): boolean {
  let inDefault = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inDefault = /^\[\s*default\s*\]$/.test(line);
      continue;
    }
    if (!inDefault || line.startsWith('#') || line.startsWith(';')) continue;
    const k = line.split('=')[0]!.trim().toLowerCase();
    if ((CREDENTIAL_KEYS as readonly string[]).includes(k)) return true;
  }
  return false;
}

/** A started server of either kind. */
export interface StartedServer {
  handle: ServerHandle;
  /** Region the profile resolved to (or the requested one). */
  region?: string;
  close(): Promise<void>;
}

/**
 * Starts the server for `profile` through the CLI's broker (the agent when
 * it runs), prefetching credentials so MFA prompts and errors happen before
 * anything else.
 */
export async function startServerFor(cli: CliContext, profile: string, mode: ServerMode, req: PlanOptions): Promise<StartedServer> {
  const broker = await cli.broker();
  let region = req.region;
  const getCredentials: CredentialSource = async ({ minTtlSeconds }) => {
    const r = await broker.credentials(profile, { ...req, minTtlSeconds });
    region ??= r.plan.region;
    return r.credentials;
  };
  if (mode === 'ecs') {
    const { startEcsServer } = await import('../servers/ecs-server.js');
    const s = await startEcsServer({ getCredentials, logger: cli.logger });
    return { handle: { kind: 'ecs', url: s.url, token: s.token }, ...(region ? { region } : {}), close: s.close };
  }
  const { startImdsServer, imdsRoleName } = await import('../servers/imds-server.js');
  // The region is known only after the first fetch; the IMDS region routes read it lazily.
  const s = await startImdsServer({ getCredentials, roleName: imdsRoleName(profile), logger: cli.logger, region: () => region });
  return { handle: { kind: 'imds', url: s.url }, ...(region ? { region } : {}), close: s.close };
}

/** Same generous cap as the config file: the credentials file is read only to look for [default] keys. */
const MAX_CREDENTIALS_BYTES = MAX_CONFIG_BYTES;

/**
 * The shared credentials file's text, '' when absent or unreadable (nothing
 * can shadow the server from there). A FIFO, device or directory, or a huge
 * file, is refused rather than read: it would block or exhaust rolehop, and
 * the child's SDK would block on it too.
 */
function readCredentialsFile(path: string): string {
  try {
    return readRegularFileSync(path, MAX_CREDENTIALS_BYTES) ?? '';
  } catch (e) {
    if (!(e instanceof RefusedFileError)) return '';
    throw new RolehopError(ErrorCodes.CONFIG_PARSE, `The AWS shared credentials file ${e.message}`, {
      hint: 'Point AWS_SHARED_CREDENTIALS_FILE at a regular file, or unset it to use ~/.aws/credentials.',
      details: { file: path, reason: e.reason },
    });
  }
}

/** Decides which config files to hide from the child (docs/aws-behaviour.md, "Provider order") and says why on stderr. */
export function isolationFor(cli: CliContext): Pick<ServerEnvOptions, 'hideConfigFile' | 'hideCredentialsFile'> {
  const out: Pick<ServerEnvOptions, 'hideConfigFile' | 'hideCredentialsFile'> = {};
  if (defaultShadows(cli.config().profiles.get('default'))) {
    out.hideConfigFile = true;
    cli.logger.warn(
      `the [default] profile in ${cli.config().path} would take precedence over the credential server, so the child sees an empty AWS config file`,
    );
  }
  const credPath = awsCredentialsPath(cli.env, cli.homeDir);
  const text = readCredentialsFile(credPath);
  if (credentialsFileShadows(text)) {
    out.hideCredentialsFile = true;
    cli.logger.info(`the [default] keys in ${credPath} would take precedence over the credential server; the child sees an empty credentials file`);
  }
  return out;
}

/**
 * `rolehop exec --server|--imds PROFILE -- CMD`: starts the server, runs the
 * child with {@link childEnvForServer}, closes the server when the child
 * exits and returns the child's exit code.
 */
export async function runWithServer(cli: CliContext, profile: string, command: string[], mode: ServerMode, req: PlanOptions): Promise<number> {
  const [cmd, ...args] = command;
  const server = await startServerFor(cli, profile, mode, req);
  try {
    const env = childEnvForServer(cli.env, server.handle, { profile, ...(server.region ? { region: server.region } : {}), ...isolationFor(cli) });
    return await runChild(cmd!, args, env);
  } finally {
    await server.close();
  }
}
