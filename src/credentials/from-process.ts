import { spawn } from 'node:child_process';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { Credentials } from './types.js';
import { withoutRolehopSecrets } from './child-env.js';

/** How long a credential_process may run before it is killed. */
export const PROCESS_TIMEOUT_MS = 60_000;

/**
 * Runs a `credential_process` command (through the shell, like SDK v3) and
 * parses its Version 1 JSON document. stderr is passed through so the
 * helper can talk to the user; stdout must hold only the JSON.
 */
export function credentialsFromProcess(
  command: string,
  profile: string,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs = PROCESS_TIMEOUT_MS,
): Promise<Credentials> {
  return new Promise((resolve, reject) => {
    // The helper gets rolehop's environment minus rolehop's own secrets.
    const childEnv = withoutRolehopSecrets(env);
    const child = spawn(command, { shell: true, env: childEnv, stdio: ['inherit', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    const fail = (why: string) =>
      reject(
        new RolehopError(ErrorCodes.PROCESS_FAILED, `credential_process of profile "${profile}" ${why}`, {
          hint: 'Run the command by hand to see what it prints; it must print a Version 1 JSON document.',
        }),
      );
    child.on('error', () => {
      clearTimeout(timer);
      fail('could not be started');
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return fail(signal ? `was stopped by ${signal}` : `exited with status ${code}`);
      try {
        resolve(parseProcessOutput(out));
      } catch {
        fail('printed no valid Version 1 credentials document');
      }
    });
  });
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
