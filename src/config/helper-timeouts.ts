import { ErrorCodes, RolehopError } from '../errors.js';

/** The helpers rolehop runs to get credentials or codes. */
export type HelperKind = 'credential_process' | 'mfa_process';

/**
 * Default timeouts. A `credential_process` may itself ask a person for an MFA
 * code (aws-vault, `rolehop export`), so it gets two minutes; an
 * `mfa_process` may wait for a touch on a hardware key or a push approval,
 * so it gets three. Both stay below the five minutes a waiter in another
 * terminal queues for the same lock, so the waiter gets its turn.
 */
export const HELPER_TIMEOUT_DEFAULTS_MS: Record<HelperKind, number> = {
  credential_process: 120_000,
  mfa_process: 180_000,
};

/** The environment variable (seconds) that overrides each default. */
export const HELPER_TIMEOUT_VARIABLES: Record<HelperKind, string> = {
  credential_process: 'ROLEHOP_CREDENTIAL_PROCESS_TIMEOUT',
  mfa_process: 'ROLEHOP_MFA_PROCESS_TIMEOUT',
};

/**
 * The timeout of a helper kind in milliseconds: its variable in `env` (a
 * positive number of seconds, fractions allowed), else the default. A value
 * that is not a positive number is a usage error, not silently ignored.
 */
export function helperTimeoutMs(env: Readonly<Record<string, string | undefined>>, kind: HelperKind): number {
  const name = HELPER_TIMEOUT_VARIABLES[kind];
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return HELPER_TIMEOUT_DEFAULTS_MS[kind];
  const s = Number(raw);
  if (!Number.isFinite(s) || s <= 0)
    throw new RolehopError(ErrorCodes.USAGE, `${name} must be a positive number of seconds, not "${raw.slice(0, 20)}"`, {
      hint: `For example ${name}=${HELPER_TIMEOUT_DEFAULTS_MS[kind] / 1000}.`,
    });
  return Math.round(s * 1000);
}
