import { createHash } from 'node:crypto';
import type { Plan, SourceStep } from '../config/plan.js';

/**
 * Cache keys for every STS step of a plan, source first. Each key hashes the
 * step's own inputs plus the key of the step before it, so editing any part
 * of a profile chain (role, duration, MFA device, endpoint, stored key id)
 * yields new keys and old cached sessions are simply never read again.
 */
export interface PlanKeys {
  /** Identity of the source credentials (not secret, e.g. the stored key id). */
  source: string;
  /** Key of the GetSessionToken step, when the plan has one. */
  session?: string;
  /** One key per hop, in order. */
  hops: string[];
  /** Key of the last step with a cache entry; undefined when the plan has no STS step. */
  final?: string;
}

/**
 * The non-secret identity of a plan's source, the root of every cache key
 * built on it: the stored key's access key id (so a rotation starts afresh),
 * the environment's access key id, or the credential_process command line.
 */
export function sourceIdentity(source: SourceStep, facts: { storedKeyId?: string | undefined; envAccessKeyId?: string | undefined }): string {
  if (source.kind === 'stored-key') return `stored:${source.profile}:${facts.storedKeyId ?? ''}`;
  if (source.kind === 'environment') return `env:${facts.envAccessKeyId ?? ''}`;
  return `process:${source.command}`;
}

/** sha256 of a canonical JSON rendering (sorted keys, undefined dropped). */
export function hashKey(value: Record<string, unknown>): string {
  const sorted = Object.keys(value)
    .sort()
    .filter((k) => value[k] !== undefined)
    .map((k) => [k, value[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 40);
}

/**
 * Computes all keys of a plan. `sourceIdentity` identifies the source
 * credentials without revealing them: the stored access key id, the
 * environment's access key id, or the credential_process command.
 */
export function planKeys(plan: Plan, sourceIdentity: string): PlanKeys {
  const endpoint = plan.endpoints.sts ?? '';
  const region = plan.region ?? '';
  let upstream = hashKey({ v: 1, kind: 'source', source: sourceIdentity });
  const source = upstream;
  let session: string | undefined;
  if (plan.session) {
    session = hashKey({
      v: 1,
      kind: 'session',
      upstream,
      mfaSerial: plan.session.mfaSerial,
      duration: plan.session.durationSeconds,
      endpoint,
      region,
    });
    upstream = session;
  }
  const hops: string[] = [];
  for (const hop of plan.hops) {
    upstream = hashKey({
      v: 1,
      kind: 'hop',
      upstream,
      roleArn: hop.roleArn,
      sessionName: hop.roleSessionName,
      externalId: hop.externalId,
      duration: hop.durationSeconds,
      mfaSerial: hop.mfaSerial,
      endpoint,
      region,
    });
    hops.push(upstream);
  }
  const final = hops.length ? hops[hops.length - 1] : session;
  return { source, ...(session ? { session } : {}), hops, ...(final ? { final } : {}) };
}

/** Key of an ad-hoc AssumeRole on top of another key (fan-out, library). */
export function assumeKey(upstream: string, input: Record<string, unknown>): string {
  return hashKey({ v: 1, kind: 'assume', upstream, ...input });
}
