/**
 * The one error family of rolehop. Every failure a user can meet is a
 * {@link RolehopError} with a stable {@link ErrorCode}; only `cli/` renders
 * them and turns them into exit codes (see {@link exitCodeFor}).
 *
 * Messages and hints must never contain secrets (secret keys, session tokens,
 * MFA codes, passphrases): constructors do not scrub, callers must not pass them.
 */

/** Stable error codes. Never rename one: scripts match on them (`--json`). */
export const ErrorCodes = {
  USAGE: 'ERR_USAGE',
  NESTED: 'ERR_NESTED',
  CONFIG_PARSE: 'ERR_CONFIG_PARSE',
  PROFILE_NOT_FOUND: 'ERR_PROFILE_NOT_FOUND',
  PROFILE_CYCLE: 'ERR_PROFILE_CYCLE',
  PROFILE_INVALID: 'ERR_PROFILE_INVALID',
  NO_STORED_KEY: 'ERR_NO_STORED_KEY',
  VAULT_PASSPHRASE: 'ERR_VAULT_PASSPHRASE',
  VAULT_NO_PASSPHRASE: 'ERR_VAULT_NO_PASSPHRASE',
  VAULT_CORRUPT: 'ERR_VAULT_CORRUPT',
  VAULT_IO: 'ERR_VAULT_IO',
  KEYCHAIN_UNAVAILABLE: 'ERR_KEYCHAIN_UNAVAILABLE',
  LOCK_TIMEOUT: 'ERR_LOCK_TIMEOUT',
  UNSAFE_PERMISSIONS: 'ERR_UNSAFE_PERMISSIONS',
  MFA_UNAVAILABLE: 'ERR_MFA_UNAVAILABLE',
  MFA_INVALID: 'ERR_MFA_INVALID',
  AWS_ACCESS_DENIED: 'ERR_AWS_ACCESS_DENIED',
  AWS_EXPIRED: 'ERR_AWS_EXPIRED',
  AWS_INVALID_KEY: 'ERR_AWS_INVALID_KEY',
  AWS_THROTTLED: 'ERR_AWS_THROTTLED',
  AWS_VALIDATION: 'ERR_AWS_VALIDATION',
  AWS_NETWORK: 'ERR_AWS_NETWORK',
  AWS_OTHER: 'ERR_AWS',
  PROCESS_FAILED: 'ERR_PROCESS_FAILED',
  CHILD_SPAWN: 'ERR_CHILD_SPAWN',
  SERVER: 'ERR_SERVER',
  AGENT: 'ERR_AGENT',
  ROTATE: 'ERR_ROTATE',
  /** A `run --job` returned a value that cannot be written as JSON (a BigInt, a cycle). */
  JOB_RESULT: 'ERR_JOB_RESULT',
  /** A `run --job` called `process.exit()`: the target fails, the run goes on. */
  JOB_EXIT: 'ERR_JOB_EXIT',
  /** A `run --job` left an error nobody caught (a stray rejection, a throw in a callback). */
  JOB_CRASH: 'ERR_JOB_CRASH',
  /** A role bundle file that cannot be used: YAML, schema or lint error (names the file, line and key). */
  BUNDLE: 'ERR_BUNDLE',
  /** A saved roles plan that no longer matches the accounts or their live state. */
  PLAN_STALE: 'ERR_PLAN_STALE',
  /** `whoami`: the shell holds no credentials rolehop put there (no `ROLEHOP_PROFILE`, or no key beside it). */
  NO_CREDENTIALS: 'ERR_NO_CREDENTIALS',
  /** `whoami --verify`: STS says the shell's credentials belong to another account or role than its profile. */
  IDENTITY_MISMATCH: 'ERR_IDENTITY_MISMATCH',
  /** A target in a region the account has not enabled (an opt-in region): reported, never run. */
  REGION_NOT_ENABLED: 'ERR_REGION_NOT_ENABLED',
  TIMEOUT: 'ERR_TIMEOUT',
  ABORTED: 'ERR_ABORTED',
  INTERNAL: 'ERR_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * Process exit codes, documented in the README. `exec` passes the child's own
 * exit code through instead; `run` uses {@link ExitCodes.PARTIAL}.
 */
export const ExitCodes = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  CONFIG: 3,
  VAULT: 4,
  MFA: 5,
  AWS: 6,
  PARTIAL: 10,
  /** `roles plan`: the accounts differ from the bundle (drift, or changes to apply). */
  CHANGES: 11,
  /** A sweep found what it looks for (`certs` within `--days`, `audit trust` findings): for scheduled jobs that alert. */
  FINDINGS: 12,
  INTERRUPTED: 130,
} as const;

const EXIT_BY_CODE: Record<ErrorCode, number> = {
  ERR_USAGE: ExitCodes.USAGE,
  ERR_NESTED: ExitCodes.USAGE,
  ERR_CONFIG_PARSE: ExitCodes.CONFIG,
  ERR_PROFILE_NOT_FOUND: ExitCodes.CONFIG,
  ERR_PROFILE_CYCLE: ExitCodes.CONFIG,
  ERR_PROFILE_INVALID: ExitCodes.CONFIG,
  ERR_NO_STORED_KEY: ExitCodes.CONFIG,
  ERR_VAULT_PASSPHRASE: ExitCodes.VAULT,
  ERR_VAULT_NO_PASSPHRASE: ExitCodes.VAULT,
  ERR_VAULT_CORRUPT: ExitCodes.VAULT,
  ERR_VAULT_IO: ExitCodes.VAULT,
  ERR_KEYCHAIN_UNAVAILABLE: ExitCodes.VAULT,
  ERR_LOCK_TIMEOUT: ExitCodes.VAULT,
  ERR_UNSAFE_PERMISSIONS: ExitCodes.VAULT,
  ERR_MFA_UNAVAILABLE: ExitCodes.MFA,
  ERR_MFA_INVALID: ExitCodes.MFA,
  ERR_AWS_ACCESS_DENIED: ExitCodes.AWS,
  ERR_AWS_EXPIRED: ExitCodes.AWS,
  ERR_AWS_INVALID_KEY: ExitCodes.AWS,
  ERR_AWS_THROTTLED: ExitCodes.AWS,
  ERR_AWS_VALIDATION: ExitCodes.AWS,
  ERR_AWS_NETWORK: ExitCodes.AWS,
  ERR_AWS: ExitCodes.AWS,
  ERR_PROCESS_FAILED: ExitCodes.CONFIG,
  ERR_CHILD_SPAWN: ExitCodes.USAGE,
  // A credential server asked to serve what it cannot (long-lived keys): the command line's choice.
  ERR_SERVER: ExitCodes.USAGE,
  // The agent holds the unlocked vault: its failures are about that unlock
  // session (start, socket, directory), never a bug by themselves.
  ERR_AGENT: ExitCodes.VAULT,
  ERR_ROTATE: ExitCodes.AWS,
  // Per-target failures of `run`: the run as a whole exits PARTIAL.
  ERR_JOB_RESULT: ExitCodes.PARTIAL,
  ERR_JOB_EXIT: ExitCodes.PARTIAL,
  ERR_JOB_CRASH: ExitCodes.PARTIAL,
  ERR_REGION_NOT_ENABLED: ExitCodes.PARTIAL,
  ERR_BUNDLE: ExitCodes.CONFIG,
  ERR_PLAN_STALE: ExitCodes.CONFIG,
  ERR_NO_CREDENTIALS: ExitCodes.CONFIG,
  ERR_IDENTITY_MISMATCH: ExitCodes.CONFIG,
  ERR_TIMEOUT: ExitCodes.AWS,
  ERR_ABORTED: ExitCodes.INTERRUPTED,
  ERR_INTERNAL: ExitCodes.INTERNAL,
};

const BRAND = Symbol.for('rolehop.error');

/** Options of a {@link RolehopError}. */
export interface RolehopErrorOptions {
  /** One line telling the user what to do next. */
  hint?: string;
  /** The underlying error, shown only with `--debug`. */
  cause?: unknown;
  /** Extra non-secret data for `--json` renderers. */
  details?: Record<string, unknown>;
}

/** A failure with a stable code, a message and a hint. Never carries secrets. */
export class RolehopError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options: RolehopErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RolehopError';
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** True for any RolehopError, even one from another copy of this package. */
export function isRolehopError(e: unknown): e is RolehopError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/** The documented process exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  return EXIT_BY_CODE[code] ?? ExitCodes.INTERNAL;
}
