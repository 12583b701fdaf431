import type { StsPort } from '../aws/sts-port.js';
import type { Plan } from '../config/plan.js';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { Logger } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';
import { ALLOW_ALL_POLICY, federationName } from './federation-name.js';
import { SESSION_DURATION_MAX, SESSION_DURATION_MIN } from './signin-token.js';

/** GetFederationToken duration bounds; root may not exceed one hour. */
export const FEDERATION_DURATION_MIN = 900;
export const FEDERATION_DURATION_MAX = 129_600;
export const FEDERATION_ROOT_MAX = 3600;
/** Console session length for IAM-user profiles when no duration is asked (aws-vault's default). */
export const DEFAULT_FEDERATION_SECONDS = 3600;

/** A cached role session is reused for the console only while it has this much life left. */
export const CONSOLE_MIN_TTL_SECONDS = 1800;

/** Credentials the federation endpoint accepts, and how to present them. */
export interface ConsoleCredentials {
  credentials: Credentials;
  /** `role`: AssumeRole session; `federated`: GetFederationToken session. */
  kind: 'role' | 'federated';
  /** `SessionDuration` to send, only ever for non-chained role sessions. */
  sessionDuration?: number;
}

/**
 * True when the plan's final role is assumed with temporary credentials
 * (another role, an MFA session, or a source that may hand out sessions):
 * the federation endpoint then refuses `SessionDuration`.
 */
export function isChainedRole(plan: Plan): boolean {
  return plan.hops.length > 1 || plan.session !== undefined || plan.source.kind !== 'stored-key';
}

function checkRange(what: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RolehopError(ErrorCodes.USAGE, `${what} ${v} is out of range`, { hint: `Use whole seconds between ${min} and ${max}.` });
  }
}

/** What {@link consoleCredentials} needs. */
export interface ConsoleCredentialDeps {
  broker: Pick<Broker, 'credentials' | 'storedKey'>;
  /** STS for the profile's region/endpoint (GetCallerIdentity, GetFederationToken). */
  sts: () => Promise<StsPort>;
  logger?: Logger;
}

async function federate(deps: ConsoleCredentialDeps, longLived: Credentials, durationSeconds: number | undefined): Promise<ConsoleCredentials> {
  const sts = await deps.sts();
  const who = await sts.getCallerIdentity(longLived);
  const root = who.arn.endsWith(':root');
  const duration = durationSeconds ?? DEFAULT_FEDERATION_SECONDS;
  checkRange('Console session duration', duration, FEDERATION_DURATION_MIN, root ? FEDERATION_ROOT_MAX : FEDERATION_DURATION_MAX);
  const credentials = await sts.getFederationToken(longLived, { name: federationName(who.arn), durationSeconds: duration, policy: ALLOW_ALL_POLICY });
  return { credentials, kind: 'federated' };
}

/**
 * Obtains console-capable credentials for a profile, following which
 * credentials the federation endpoint accepts:
 * - a role profile: the broker's role session, with `SessionDuration` only
 *   when the role is not chained (otherwise a warning and no duration);
 * - an IAM-user profile: GetFederationToken called with the stored
 *   long-lived key (STS refuses temporary callers) and an allow-all session
 *   policy, named after the user;
 * - any other source: long-lived keys are federated, role or federated
 *   sessions used as they are, GetSessionToken sessions refused.
 */
export async function consoleCredentials(deps: ConsoleCredentialDeps, plan: Plan, durationSeconds?: number): Promise<ConsoleCredentials> {
  const profile = plan.profile;
  if (plan.hops.length > 0) {
    const chained = isChainedRole(plan);
    if (durationSeconds !== undefined) checkRange('Console session duration', durationSeconds, SESSION_DURATION_MIN, SESSION_DURATION_MAX);
    if (chained && durationSeconds !== undefined) {
      deps.logger?.warn('--duration is ignored: the role is reached through another session, so the console session ends with the role session (at most 1 h).');
    }
    // The console session ends with these credentials when no duration is sent: not minutes after sign-in.
    const r = await deps.broker.credentials(profile, { minTtlSeconds: CONSOLE_MIN_TTL_SECONDS });
    return { credentials: r.credentials, kind: 'role', ...(!chained && durationSeconds !== undefined ? { sessionDuration: durationSeconds } : {}) };
  }
  if (plan.source.kind === 'stored-key') {
    if (plan.session?.mfaSerial) {
      deps.logger?.debug('GetFederationToken needs the long-lived key, so this console session carries no MFA context.');
    }
    const key = await deps.broker.storedKey(profile);
    return federate(deps, { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }, durationSeconds);
  }
  // environment / credential_process sources: look at what they hand out.
  const r = await deps.broker.credentials(profile, { noSession: true });
  if (!r.credentials.sessionToken) return federate(deps, r.credentials, durationSeconds);
  const who = await (await deps.sts()).getCallerIdentity(r.credentials);
  const resource = who.arn.split(':').slice(5).join(':');
  if (resource.startsWith('assumed-role/') || resource.startsWith('federated-user/')) {
    if (durationSeconds !== undefined) deps.logger?.warn('--duration is ignored for credentials rolehop did not obtain itself.');
    return { credentials: r.credentials, kind: resource.startsWith('federated-user/') ? 'federated' : 'role' };
  }
  throw new RolehopError(ErrorCodes.PROFILE_INVALID, `The credentials of profile "${profile}" are a session token the AWS console does not accept`, {
    hint: 'Console sign-in needs a role profile (role_arn) or long-lived IAM user keys.',
  });
}
