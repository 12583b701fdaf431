import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** One (account, region) unit of a sweep. */
export interface FanOutTarget {
  account: string;
  region: string;
  /** Account name (Organizations, or the accounts file), for placeholders and output. */
  name?: string;
  /** Role name or ARN for this account; overrides the sweep's role. */
  role?: string;
  /**
   * Set when the target must not run (a region the account has not
   * enabled): the engine reports it as failed with this error, without
   * credentials or job.
   */
  notRun?: ResultError;
}

/** Any SDK v3 client class. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor parameters are contravariant: only `any` accepts every client's config type
export type ClientConstructor<C> = new (config: any) => C;

/** What a job receives for one target. */
export interface JobContext {
  readonly account: string;
  readonly region: string;
  readonly name: string | undefined;
  readonly roleArn: string;
  /** SDK v3 credential provider for the account; refreshes ahead of expiry. */
  readonly credentials: AwsCredentialIdentityProvider;
  /**
   * An SDK v3 client for the account and region on the shared keep-alive
   * handler, with the engine's quota-free retry strategy. `config` overrides
   * anything. Clients are destroyed when the unit finishes.
   */
  client<C>(ClientClass: ClientConstructor<C>, config?: Record<string, unknown>): C;
  /** Aborts on Ctrl-C, on the per-target timeout, or when the consumer stops. */
  readonly signal: AbortSignal;
  /** 1 for the first run of the job on this target. */
  readonly attempt: number;
}

/** A job: any async function of a {@link JobContext}. */
export type Job<T = unknown> = (ctx: JobContext) => Promise<T>;

const COMMAND = Symbol.for('rolehop.commandOutcome');

/** What a command job returns: the engine maps it to `exitCode`/`stdout` fields. */
export interface CommandOutcome {
  readonly [COMMAND]: true;
  exitCode: number;
  /** Signal that killed the child, if any. */
  signal?: string;
  stdout: string;
  stderr: string;
  /** True when the captured output was cut at the capture limit. */
  truncated?: boolean;
}

/** Marks a command's outcome so the engine reports it as such. */
export function commandOutcome(o: Omit<CommandOutcome, typeof COMMAND>): CommandOutcome {
  return { ...o, [COMMAND]: true };
}

/** True for values made by {@link commandOutcome}. */
export function isCommandOutcome(v: unknown): v is CommandOutcome {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[COMMAND] === true;
}

/**
 * Result codes: every RolehopError code (ERR_AWS_ACCESS_DENIED, ERR_TIMEOUT,
 * ERR_ABORTED, ...) plus `ERR_EXIT` (a command exited non-zero) and
 * `ERR_JOB` (a job threw something that is not an AWS or rolehop error).
 */
export interface ResultError {
  code: string;
  message: string;
  /** `regions`: the region is not enabled in the account; `credentials`: AssumeRole into the account failed; `job`: the job did. */
  stage: 'regions' | 'credentials' | 'job';
  /** The AWS error name when there is one (AccessDenied, Throttling, ...). */
  awsCode?: string;
}

/** The result of one target. Exactly one per unit that started. */
export interface TargetResult<T = unknown> {
  account: string;
  region: string;
  name?: string;
  ok: boolean;
  /** For commands: the child's exit code (128+n when killed by signal n). */
  exitCode?: number;
  durationMs: number;
  /** For jobs: what the job returned. */
  value?: T;
  /** For commands: captured output. */
  stdout?: string;
  stderr?: string;
  error?: ResultError;
  /** How many times the job ran (1 unless it failed with a retryable error). */
  attempts: number;
  /** Retries spent on this target: AssumeRole, SDK calls and job re-runs. */
  retries: number;
}

/** Live counters of a sweep (read them for a progress display). */
export interface FanOutStats {
  /** Units to run after sharding and resume. */
  total: number;
  /** Units dropped by `--shard`. */
  outOfShard: number;
  /** Units skipped because the journal has them done. */
  resumed: number;
  started: number;
  done: number;
  ok: number;
  failed: number;
  running: number;
  retries: number;
  throttles: number;
  /** AssumeRole calls sent, retries included. */
  assumeCalls: number;
  /** Failures per result code. */
  byCode: Record<string, number>;
  /** True once the sweep stopped early (abort or consumer break). */
  aborted: boolean;
  startedAt: number;
  finishedAt?: number;
}
