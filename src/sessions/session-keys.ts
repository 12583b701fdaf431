import { createHash } from 'node:crypto';
import type { Plan } from '../config/plan.js';
import { canonicalJson, planStepInputs } from './step-inputs.js';

/**
 * Cache keys for every STS step of a plan, source first. Each key hashes the
 * step's own inputs plus the key of the step before it, so editing any part
 * of a profile chain (role, duration, MFA device, endpoint, stored key id)
 * yields new keys and old cached sessions are simply never read again.
 */
export interface PlanKeys {
  /** Identity of the source credentials (not secret, e.g. the stored key id). */
  source: string;
  /** Key of the IAM Identity Center GetRoleCredentials step, when the source is an SSO profile. */
  sso?: string;
  /** Key of the GetSessionToken step, when the plan has one. */
  session?: string;
  /** One key per hop, in order. */
  hops: string[];
  /** Key of the last step with a cache entry; undefined when the plan has no STS step. */
  final?: string;
}

/** sha256 of a canonical JSON rendering (sorted keys, undefined dropped). */
export function hashKey(value: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 40);
}

/**
 * Computes all keys of a plan. `sourceIdentity` identifies the source
 * credentials without revealing them: the stored access key id, the
 * environment's access key id, or the credential_process command.
 */
export function planKeys(plan: Plan, sourceIdentity: string): PlanKeys {
  const inputs = planStepInputs(plan, sourceIdentity);
  let upstream = hashKey(inputs.source);
  const source = upstream;
  let sso: string | undefined;
  if (inputs.sso) {
    sso = hashKey({ ...inputs.sso, upstream });
    upstream = sso;
  }
  let session: string | undefined;
  if (inputs.session) {
    session = hashKey({ ...inputs.session, upstream });
    upstream = session;
  }
  const hops: string[] = [];
  for (const hop of inputs.hops) {
    upstream = hashKey({ ...hop, upstream });
    hops.push(upstream);
  }
  const final = hops.length ? hops[hops.length - 1] : (session ?? sso);
  return { source, ...(sso ? { sso } : {}), ...(session ? { session } : {}), hops, ...(final ? { final } : {}) };
}

/** Key of an ad-hoc AssumeRole on top of another key (fan-out, library). */
export function assumeKey(upstream: string, input: Record<string, unknown>): string {
  return hashKey({ v: 1, kind: 'assume', upstream, ...input });
}
