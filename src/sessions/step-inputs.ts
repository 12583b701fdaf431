import { partitionOf } from '../aws/partition.js';
import type { Plan, SourceStep } from '../config/plan.js';

/**
 * What each STS step of a plan depends on, source first, as plain data. The
 * session cache hashes these into its keys (`session-keys.ts`); the session
 * copy compares their rendering as is. Kept free of node:crypto: the
 * credential_process hot path uses it on every call.
 */
export interface StepInputs {
  source: Record<string, unknown>;
  /** The GetRoleCredentials step of an IAM Identity Center source (its account and role are in `source`). */
  sso?: Record<string, unknown>;
  session?: Record<string, unknown>;
  hops: Array<Record<string, unknown>>;
}

/**
 * The non-secret identity of a plan's source, the root of every cache key
 * built on it: the stored key's access key id (so a rotation starts afresh),
 * the environment's access key id, the credential_process command line, the
 * web identity's role, session name and token file path (never the token:
 * it rotates while the identity stays), or the container / IMDS endpoint
 * (the container URL without its query, which may carry a secret).
 */
export function sourceIdentity(source: SourceStep, facts: { storedKeyId?: string | undefined; envAccessKeyId?: string | undefined }): string {
  switch (source.kind) {
    case 'stored-key':
      return `stored:${source.profile}:${facts.storedKeyId ?? ''}`;
    case 'environment':
      return `env:${facts.envAccessKeyId ?? ''}`;
    case 'process':
      return `process:${source.command}`;
    case 'web-identity':
      return `web-identity:${source.roleArn}:${source.roleSessionName}:${source.durationSeconds}:${source.tokenFile}`;
    case 'container':
      return `container:${source.url.split('?')[0]}`;
    case 'imds':
      return `imds:${source.endpoint}`;
    case 'sso':
      return `sso:${source.session.startUrl}:${source.session.region}:${source.accountId}:${source.roleName}`;
  }
}

/**
 * The inputs of every STS step of `plan` behind the source identified by
 * `identity`: what the session's validity depends on, never the child's
 * region. A session from a regional STS endpoint (the only kind rolehop
 * calls) is valid in every region of its partition, so the steps name the
 * partition of `plan.region` instead: one MFA code, and one session per
 * role, serve every region of a partition.
 */
export function planStepInputs(plan: Plan, identity: string): StepInputs {
  const endpoint = plan.endpoints.sts ?? '';
  const partition = partitionOf(plan.region);
  const session = plan.session
    ? { v: 1, kind: 'session', mfaSerial: plan.session.mfaSerial, duration: plan.session.durationSeconds, endpoint, partition }
    : undefined;
  const hops = plan.hops.map((hop) => ({
    v: 1,
    kind: 'hop',
    roleArn: hop.roleArn,
    sessionName: hop.roleSessionName,
    externalId: hop.externalId,
    duration: hop.durationSeconds,
    mfaSerial: hop.mfaSerial,
    endpoint,
    partition,
  }));
  // Identity Center role credentials are a cached step of their own, so a warm call makes no network call.
  const sso = plan.source.kind === 'sso' ? { v: 1, kind: 'sso-role' } : undefined;
  return { source: { v: 1, kind: 'source', source: identity }, ...(sso ? { sso } : {}), ...(session ? { session } : {}), hops };
}

/** A canonical JSON rendering: keys sorted, undefined values dropped. Equal inputs, equal text. */
export function canonicalJson(value: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => [k, value[k]]),
  );
}

/**
 * One string standing for the whole chain up to the plan's last STS step:
 * equal exactly when that step's cache key is equal (both are built from the
 * same inputs), or undefined when the plan has no STS step.
 */
export function chainFingerprint(inputs: StepInputs): string | undefined {
  if (!inputs.sso && !inputs.session && inputs.hops.length === 0) return undefined;
  return `[${[inputs.source, ...(inputs.sso ? [inputs.sso] : []), ...(inputs.session ? [inputs.session] : []), ...inputs.hops].map(canonicalJson).join(',')}]`;
}
