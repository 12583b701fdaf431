import { ErrorCodes, RolehopError } from '../errors.js';
import { helperTimeoutMs, HELPER_TIMEOUT_VARIABLES } from '../config/helper-timeouts.js';
import { runHelper } from '../io/run-helper.js';
import type { Credentials } from './types.js';
import { withoutRolehopSecrets } from './child-env.js';

/** Options of {@link credentialsFromProcess}. */
export interface ProcessOptions {
  /** Default: `ROLEHOP_CREDENTIAL_PROCESS_TIMEOUT` in `env`, else 120 s (see `config/helper-timeouts.ts`). */
  timeoutMs?: number;
  /** Aborting stops the command and everything it started. */
  signal?: AbortSignal;
}

const HINT = 'Run the command by hand to see what it prints; it must print a Version 1 JSON document.';

/**
 * Runs a `credential_process` command (through the shell, like SDK v3) and
 * parses its Version 1 JSON document. stderr is passed through so the
 * helper can talk to the user; stdout must hold only the JSON. The command
 * runs under {@link runHelper}: bounded in time and output, and stopped with
 * everything it started when it fails, so a caller's lock is always released.
 */
export async function credentialsFromProcess(
  command: string,
  profile: string,
  env: Readonly<Record<string, string | undefined>>,
  opts: ProcessOptions = {},
): Promise<Credentials> {
  const out = await runHelper({
    command,
    // The helper gets rolehop's environment minus rolehop's own secrets.
    env: withoutRolehopSecrets(env),
    label: { key: 'credential_process', profile, code: ErrorCodes.PROCESS_FAILED, hint: HINT, timeoutVariable: HELPER_TIMEOUT_VARIABLES.credential_process },
    timeoutMs: opts.timeoutMs ?? helperTimeoutMs(env, 'credential_process'),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    return parseProcessOutput(out);
  } catch {
    throw new RolehopError(ErrorCodes.PROCESS_FAILED, `credential_process of profile "${profile}" printed no valid Version 1 credentials document`, {
      hint: HINT,
    });
  }
}

/** Parses and validates a credential_process document. Throws on anything off. */
export function parseProcessOutput(text: string): Credentials {
  const doc = JSON.parse(text.trim()) as Record<string, unknown>;
  if (doc.Version !== 1 || typeof doc.AccessKeyId !== 'string' || typeof doc.SecretAccessKey !== 'string') {
    throw new Error('invalid credential_process document');
  }
  const c: Credentials = { accessKeyId: doc.AccessKeyId, secretAccessKey: doc.SecretAccessKey };
  if (typeof doc.SessionToken === 'string') c.sessionToken = doc.SessionToken;
  if (typeof doc.Expiration === 'string') {
    const d = new Date(doc.Expiration.replace(/UTC$/, 'Z'));
    if (Number.isNaN(d.getTime())) throw new Error('invalid Expiration');
    c.expiration = d;
  }
  if (typeof doc.AccountId === 'string') c.accountId = doc.AccountId;
  return c;
}

/** `credential_source = Environment`: credentials from rolehop's own environment. */
export function credentialsFromEnvironment(env: Readonly<Record<string, string | undefined>>, profile: string): Credentials {
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (!id || !secret) {
    throw new RolehopError(
      ErrorCodes.PROFILE_INVALID,
      `Profile "${profile}" uses credential_source = Environment, but AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set`,
      {
        hint: 'Set both variables, or give the profile a source_profile with a stored key.',
      },
    );
  }
  const c: Credentials = { accessKeyId: id, secretAccessKey: secret };
  if (env.AWS_SESSION_TOKEN) c.sessionToken = env.AWS_SESSION_TOKEN;
  return c;
}
