import { join } from 'node:path';
import type { AwsConfig } from '../config/aws-config.js';
import type { Plan } from '../config/plan.js';
import { resolvePlan } from '../config/resolve-plan.js';
import type { Credentials } from '../credentials/types.js';
import type { VaultIndex } from '../credentials/vault-index.js';
import type { Logger } from '../io/context.js';
import { DEFAULT_MIN_TTL_SECONDS, SessionCache } from './session-cache.js';
import { planKeys, sourceIdentity } from './session-keys.js';

/** What {@link cachedCredentials} needs; the caller reads files and the environment. */
export interface CacheHitInputs {
  config: AwsConfig;
  profile: string;
  env: Readonly<Record<string, string | undefined>>;
  userName: string;
  rolehopHome: string;
  index: VaultIndex;
  /** Current time in ms. */
  now: number;
  /** The session cache's data key, or undefined when it cannot be had cheaply. */
  dataKey: () => Promise<Buffer | undefined>;
}

const silent: Logger = { debug() {}, info() {}, warn() {} };

/**
 * The broker's cache-hit path on its own: the same plan, the same cache keys
 * and the same freshness rule (more than 15 minutes left), answered without
 * locks, STS or the AWS SDK. Resolves undefined whenever the broker would do
 * anything more than read one fresh entry (a miss, an entry near expiry, an
 * entry that does not decrypt, a config warning to print, no STS step), so
 * the caller can hand the request to the broker unchanged. Throws what
 * `resolvePlan` throws; callers on a hot path treat that as "take the normal
 * path" too, so the error is rendered by the code that always renders it.
 */
export async function cachedCredentials(inp: CacheHitInputs): Promise<{ credentials: Credentials; plan: Plan } | undefined> {
  if (inp.config.warnings?.length) return undefined;
  const plan = resolvePlan(inp.config, inp.profile, {}, inp.env, { userName: inp.userName, hasStoredKey: (p) => Object.hasOwn(inp.index.keys, p) });
  if (plan.warnings.length) return undefined;
  const keys = planKeys(
    plan,
    sourceIdentity(plan.source, {
      storedKeyId: plan.source.kind === 'stored-key' ? inp.index.keys[plan.source.profile]?.accessKeyId : undefined,
      envAccessKeyId: inp.env.AWS_ACCESS_KEY_ID,
    }),
  );
  if (!keys.final) return undefined;
  const cache = new SessionCache(join(inp.rolehopHome, 'sessions'), silent);
  const minTtlMs = DEFAULT_MIN_TTL_SECONDS * 1000;
  if (!cache.isFresh(keys.final, inp.now, minTtlMs)) return undefined;
  const key = await inp.dataKey();
  if (!key) return undefined;
  const credentials = cache.read(keys.final, key, inp.now, minTtlMs);
  return credentials ? { credentials, plan } : undefined;
}
