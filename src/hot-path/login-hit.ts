import { loadAwsConfig } from '../config/load-config.js';
import type { Plan } from '../config/plan.js';
import { CONSOLE_MIN_TTL_SECONDS } from '../console/console-credentials.js';
import { signInLink, signInTarget } from '../console/signin-link.js';
import type { Credentials } from '../credentials/types.js';
import { readVaultIndex, vaultIndexPath } from '../credentials/vault-index.js';
import { resolveLocations } from '../io/locations.js';
import { credentialsViaAgent, type AgentHitCaller } from './agent-hit.js';
import { currentPlan } from './copy-hit.js';
import { keychainCacheHit } from './keychain-hit.js';

/** Where a role session may come from, as `cache-hit.ts` finds out. */
export interface LoginHitBranches {
  agent?: AgentHitCaller;
  keychainBus?: string;
}

/**
 * The plan `login` would resolve over the caller's config, for a role
 * profile only; undefined for anything else (an IAM-user profile needs the
 * stored key and STS) or anything the normal path should say.
 */
function localRolePlan(profile: string, env: Readonly<Record<string, string | undefined>>): Plan | undefined {
  try {
    const { rolehopHome, homeDir, userName } = resolveLocations(env);
    const plan = currentPlan({ config: loadAwsConfig(env, homeDir), profile, env, userName, index: readVaultIndex(vaultIndexPath(rolehopHome)) });
    return plan && plan.hops.length > 0 ? plan : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The role session `login` would take from the broker (`minTtlSeconds` of
 * {@link CONSOLE_MIN_TTL_SECONDS}), with the profile's plan: from a running
 * agent (asked only once the plan says the profile is a role profile, so it
 * is asked exactly what the normal path would ask it), or else from the
 * keychain's session copy. Undefined on anything but a clean hit.
 */
async function roleSession(
  profile: string,
  env: Readonly<Record<string, string | undefined>>,
  b: LoginHitBranches,
): Promise<{ credentials: Credentials; plan: Plan } | undefined> {
  if (b.agent) {
    const plan = localRolePlan(profile, env);
    if (!plan) return undefined;
    const hit = await credentialsViaAgent(profile, { minTtlSeconds: CONSOLE_MIN_TTL_SECONDS }, b.agent);
    // The plan the normal path uses is resolved locally too (the agent broker's `plan`).
    if (hit) return { credentials: hit.credentials, plan };
  }
  if (!b.keychainBus) return undefined;
  const hit = await keychainCacheHit(profile, env, b.keychainBus, {}, CONSOLE_MIN_TTL_SECONDS);
  return hit && hit.plan.hops.length > 0 ? hit : undefined;
}

/**
 * `rolehop login PROFILE --stdout` on a cache hit, without the CLI: the
 * sign-in link the normal path would print, built as `createConsoleLogin`
 * builds it from the same role session, or undefined (nothing
 * asked of the federation endpoint yet) to take the normal path. Errors of
 * the agent or the federation endpoint are thrown as the normal path throws
 * them. The link is a secret: it is only returned, to be printed on stdout.
 */
export async function consoleLinkHit(
  profile: string,
  region: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  b: LoginHitBranches,
  signal: AbortSignal,
): Promise<string | undefined> {
  const hit = await roleSession(profile, env, b);
  if (!hit) return undefined;
  const target = signInTarget(hit.plan, {
    ...(region ? { region } : {}),
    ...(env.ROLEHOP_FEDERATION_ENDPOINT ? { federationEndpoint: env.ROLEHOP_FEDERATION_ENDPOINT } : {}),
  });
  // What consoleCredentials makes of a role session when no duration is asked.
  const login = await signInLink(target, { credentials: hit.credentials, kind: 'role' }, { signal });
  return login.url;
}
