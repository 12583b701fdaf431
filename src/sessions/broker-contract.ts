import type { Credentials } from '../credentials/types.js';
import type { Plan, PlanOptions } from '../config/plan.js';

/** Credentials with how they were obtained. */
export interface ResolvedCredentials {
  credentials: Credentials;
  plan: Plan;
  /** True when served from the session cache without any STS call. */
  fromCache: boolean;
}

/** Options of {@link Broker.credentials}. */
export interface CredentialRequest extends PlanOptions {
  /** Ignore cached sessions for the final hop and fetch anew. */
  forceRefresh?: boolean;
  /**
   * Minimum remaining lifetime (seconds) a cached credential must have to be
   * served; default 15 min (botocore's advisory refresh window).
   */
  minTtlSeconds?: number;
}

/** One AssumeRole into an arbitrary role, on top of a profile's credentials. */
export interface AssumeRequest {
  /** Profile whose credentials (and MFA session) make the call. */
  sourceProfile: string;
  roleArn: string;
  roleSessionName?: string;
  externalId?: string;
  /** Default 3600 (the role-chaining maximum). */
  durationSeconds?: number;
  region?: string;
  /** Keep the result in the encrypted on-disk cache (default true). */
  persist?: boolean;
  minTtlSeconds?: number;
}

/**
 * The session broker: turns a profile into working credentials, through the
 * resolution plan, the encrypted session cache, per-key cross-process locks,
 * one MFA prompt per source, and refresh ahead of expiry. Everything that
 * hands out credentials (exec, export, servers, agent, login, rotate, run,
 * the library) goes through one Broker.
 */
export interface Broker {
  /** The plan for a profile (pure; no STS call, no unlock). */
  plan(profile: string, opts?: PlanOptions): Plan;
  /** Credentials for a profile's final hop; cached, locked, refreshed. */
  credentials(profile: string, req?: CredentialRequest): Promise<ResolvedCredentials>;
  /**
   * Credentials of a profile's source after its MFA session (GetSessionToken)
   * but before any role hop: what fan-out uses to assume into many accounts.
   */
  sessionCredentials(profile: string, req?: CredentialRequest): Promise<ResolvedCredentials>;
  /** AssumeRole into any role from a profile's session; cached per inputs. */
  assumeRole(req: AssumeRequest): Promise<Credentials>;
  /** Long-lived key of a stored profile (rotate, login's GetFederationToken). */
  storedKey(profile: string): Promise<{ accessKeyId: string; secretAccessKey: string }>;
  /** Drop cached sessions: all, or those whose plan involves `profile`. Returns how many were removed. */
  clearSessions(profile?: string): Promise<number>;
}
