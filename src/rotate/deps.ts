import type { IamPort } from '../aws/iam-port.js';
import type { StsPort } from '../aws/sts-port.js';
import type { Credentials, StoredKey } from '../credentials/types.js';
import type { Vault } from '../credentials/vault-contract.js';
import type { Clock, Logger } from '../io/context.js';
import type { JournalStore } from './journal.js';
import type { RetryBounds } from './retry.js';

/** Retry bounds of the two waits of a rotation. */
export interface RotationTiming {
  /** Waiting for IAM to accept a new key (typically 3-15 s, up to about 60 s). */
  verify: RetryBounds;
  /** Deleting a key (IAM may briefly refuse a fresh caller key). */
  delete: RetryBounds;
}

/** Poll every 1-5 s for up to a minute, as IAM's eventual consistency needs. */
export const DEFAULT_ROTATION_TIMING: RotationTiming = {
  verify: { timeoutMs: 60_000, initialDelayMs: 1000, maxDelayMs: 5000 },
  delete: { timeoutMs: 60_000, initialDelayMs: 1000, maxDelayMs: 5000 },
};

/** Everything a rotation touches, injected. */
export interface RotationDeps {
  iam: IamPort;
  /** GetCallerIdentity proves a key works and names its user. */
  sts: Pick<StsPort, 'getCallerIdentity'>;
  vault: Pick<Vault, 'get' | 'put'>;
  /**
   * Credentials that sign the IAM calls, given the key the vault holds at
   * the start: an MFA session (`broker.sessionCredentials`) when the profile
   * has `mfa_serial`, else the key itself. Called once per rotation.
   */
  iamCaller: (current: StoredKey) => Promise<Credentials>;
  /** Drops cached sessions of every profile using the key; returns how many. */
  clearSessions: () => Promise<number>;
  journal: JournalStore;
  clock: Clock;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  timing?: { verify?: Partial<RetryBounds>; delete?: Partial<RetryBounds> };
  /** Asked once before anything changes; false cancels. Absent: no question. */
  confirm?: (q: { keyProfile: string; userName: string; oldKeyId: string }) => Promise<boolean>;
  /** Progress notices (key ids only). */
  logger?: Logger;
  signal?: AbortSignal;
}

/** Which key to rotate. */
export interface RotationRequest {
  /** Profile the user named. */
  profile: string;
  /** Profile whose vault entry holds the long-lived key (the plan's source). */
  keyProfile: string;
}

/** The timing of `deps`, each bound filled in from {@link DEFAULT_ROTATION_TIMING}. */
export function rotationTiming(deps: Pick<RotationDeps, 'timing'>): RotationTiming {
  return {
    verify: { ...DEFAULT_ROTATION_TIMING.verify, ...deps.timing?.verify },
    delete: { ...DEFAULT_ROTATION_TIMING.delete, ...deps.timing?.delete },
  };
}
