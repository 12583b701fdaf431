import type { Endpoints } from '../../config/plan.js';
import { safeSessionName } from '../../config/session-name.js';
import type { AssumePort } from '../../aws/sts-port.js';
import type { Credentials } from '../../credentials/types.js';
import type { BrokerSource } from '../../engine/broker-source.js';
import type { FanOutOptions } from '../../engine/fan-out.js';
import type { Shard } from '../../engine/shard.js';
import { ErrorCodes, RolehopError } from '../../errors.js';
import type { CliContext } from '../cli-context.js';

/** The engine flags `run` and every sweep take, as commander gives them. */
export interface EngineFlags {
  role: string;
  externalId?: string;
  concurrency?: number;
  /** Seconds per target. */
  timeout?: number;
  /** `--sts-rate`: AssumeRole calls per second (only `run` has the flag). */
  stsRate?: number;
}

/** Where a fan-out's sessions come from, resolved before any target runs. */
export interface EngineSource {
  broker: BrokerSource;
  /** The source profile (or `sso:NAME`): the engine's label. */
  profile: string;
  sourceSession: Credentials;
  /** How each account is entered when not by AssumeRole (an SSO session's GetRoleCredentials). */
  sts?: AssumePort;
  endpoints: Endpoints;
  shard?: Shard;
  /** The role session name's prefix, e.g. `rolehop-run`; `-<user>` is added. */
  sessionName: string;
}

/** The engine options that do not depend on the job's value type: what {@link engineOptions} builds. */
export type EngineOptions = Omit<FanOutOptions, 'prepareValue' | 'onResult'>;

/**
 * Throws ERR_USAGE for a `--concurrency` below 1 or a `--timeout` that is
 * not a positive number; absent flags are fine. Called before anything
 * asks AWS.
 */
export function checkEngineFlags(flags: Pick<EngineFlags, 'concurrency' | 'timeout'>): void {
  if (flags.concurrency !== undefined && !(flags.concurrency >= 1))
    throw new RolehopError(ErrorCodes.USAGE, '--concurrency must be a positive integer', { hint: 'For example --concurrency 16.' });
  if (flags.timeout !== undefined && !(flags.timeout > 0))
    throw new RolehopError(ErrorCodes.USAGE, '--timeout must be a positive number of seconds', { hint: 'For example --timeout 120.' });
}

/**
 * The engine options of a fan-out from its flags and source: only the
 * flags given are set (the engine's defaults stand for the rest), the role
 * session is named `<prefix>-<user>` (made safe for STS), and the run stops
 * on the CLI's signal. Pure: asks nothing.
 */
export function engineOptions(cli: Pick<CliContext, 'userName' | 'signal'>, flags: EngineFlags, source: EngineSource): EngineOptions {
  return {
    broker: source.broker,
    profile: source.profile,
    sourceSession: source.sourceSession,
    ...(source.sts ? { sts: source.sts } : {}),
    role: flags.role,
    roleSessionName: safeSessionName(`${source.sessionName}-${cli.userName}`),
    ...(flags.externalId ? { externalId: flags.externalId } : {}),
    ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
    ...(flags.timeout ? { timeoutMs: Math.round(flags.timeout * 1000) } : {}),
    ...(flags.stsRate ? { stsRatePerSecond: flags.stsRate } : {}),
    ...(source.shard ? { shard: source.shard } : {}),
    endpoints: source.endpoints,
    signal: cli.signal,
  };
}
