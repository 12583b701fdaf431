import type { AwsConfig } from '../config/aws-config.js';
import type { Plan, PlanOptions } from '../config/plan.js';
import { resolvePlan } from '../config/resolve-plan.js';
import type { Credentials } from '../credentials/types.js';
import type { VaultIndex } from '../credentials/vault-index.js';
import { DEFAULT_MIN_TTL_SECONDS } from '../sessions/session-ttl.js';
import { readSessionCopy } from '../sessions/session-copy.js';
import { chainFingerprint, planStepInputs, sourceIdentity } from '../sessions/step-inputs.js';

/** What {@link sessionCopyHit} needs; the caller reads files, the environment and the store. */
export interface SessionCopyHitInputs {
  config: AwsConfig;
  profile: string;
  /** As the broker is asked (`--region`): the region's partition is part of the chain. */
  planOptions?: PlanOptions;
  env: Readonly<Record<string, string | undefined>>;
  userName: string;
  index: VaultIndex;
  /** Current time in ms. */
  now: number;
  /** The text of the profile's session copy, or undefined when there is none or it cannot be had cheaply. */
  copy: () => Promise<string | undefined>;
  /** Life a session must have left to be served, as the broker's `minTtlSeconds`; default 15 minutes. */
  minTtlSeconds?: number;
}

/**
 * The profile's plan as the broker would resolve it now, or undefined when
 * resolving it says something (a config or plan warning) that only the
 * normal path prints. Throws what `resolvePlan` throws.
 */
export function currentPlan(inp: Pick<SessionCopyHitInputs, 'config' | 'profile' | 'planOptions' | 'env' | 'userName' | 'index'>): Plan | undefined {
  if (inp.config.warnings?.length) return undefined;
  const plan = resolvePlan(inp.config, inp.profile, inp.planOptions ?? {}, inp.env, {
    userName: inp.userName,
    hasStoredKey: (p) => Object.hasOwn(inp.index.keys, p),
  });
  return plan.warnings.length ? undefined : plan;
}

/**
 * The broker's cache hit as the credential_process hot path sees it: the
 * same plan, the same chain of inputs and the same freshness rule (more than
 * 15 minutes left, or `minTtlSeconds`), answered from the session copy the broker keeps beside
 * its cache, so neither node:crypto nor the data key is needed. Resolves
 * undefined whenever the broker would do anything more than serve one fresh
 * session (no copy, a copy for another chain, near expiry, a config warning
 * to print, no STS step), so the caller can hand the request to the broker
 * unchanged. Throws what `resolvePlan` throws; callers on a hot path treat
 * that as "take the normal path" too, so the error is rendered by the code
 * that always renders it.
 */
export async function sessionCopyHit(inp: SessionCopyHitInputs): Promise<{ credentials: Credentials; plan: Plan } | undefined> {
  const plan = currentPlan(inp);
  if (!plan) return undefined;
  const identity = sourceIdentity(plan.source, {
    storedKeyId: plan.source.kind === 'stored-key' ? inp.index.keys[plan.source.profile]?.accessKeyId : undefined,
    envAccessKeyId: inp.env.AWS_ACCESS_KEY_ID,
  });
  const chain = chainFingerprint(planStepInputs(plan, identity));
  if (!chain) return undefined;
  const text = await inp.copy();
  if (text === undefined) return undefined;
  const credentials = readSessionCopy(text, chain, inp.now, (inp.minTtlSeconds ?? DEFAULT_MIN_TTL_SECONDS) * 1000);
  return credentials ? { credentials, plan } : undefined;
}
