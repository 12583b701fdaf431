import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { agentPaths } from '../agent/protocol.js';
import { credentialProcessLine } from '../credentials/process-document.js';
import type { Credentials } from '../credentials/types.js';
import type { MfaRequest } from '../io/context.js';
import { entryProblem, homeProblem } from '../io/private-path.js';
import { readBackendChoice } from '../stores/backend-choice.js';
import type { AgentHitCaller } from './agent-hit.js';
import type { KeychainClear } from './keychain-clear.js';

/** What the hot path loads only when it needs it. */
export interface HotPathDeps {
  /** Answers an agent's MFA question (loads the prompts). */
  mfaCode: (req: MfaRequest) => Promise<string>;
  /** The keychain branch, a bundle of its own (dist/hot-keychain.cjs): the agent branch never pays to compile it. */
  keychainHit: (rolehopHome: string) => Promise<typeof import('./keychain-hit.js')>;
  /** `login --stdout`'s branch, a bundle of its own too (dist/hot-login.cjs); without it `login` takes the normal path. */
  loginHit?: (rolehopHome: string) => Promise<typeof import('./login-hit.js')>;
}

/** Which branches may answer for this environment. */
interface Branches {
  agent?: AgentHitCaller;
  /** The session bus, when the keychain backend keeps session copies there. */
  keychainBus?: string;
  rolehopHome: string;
}

/**
 * The rolehop home a hot path may read (and keep its code cache in), or
 * undefined when the normal path must run anyway: no HOME (the normal path
 * finds the home directory; node:os is not worth loading here for a case
 * that rare), or a home or code cache another user could write to (the
 * normal path refuses it and says how to fix it, where a hit would stay
 * silent).
 */
export function hotHome(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const rolehopHome = env.ROLEHOP_HOME || (env.HOME ? join(env.HOME, '.rolehop') : undefined);
  if (!rolehopHome || homeProblem(rolehopHome) || entryProblem(join(rolehopHome, 'code-cache'))) return undefined;
  return rolehopHome;
}

/**
 * Where a cache hit may come from: a running agent (its socket exists) and
 * the keychain's session copies (the keychain backend on Linux with a
 * session bus). Undefined when the normal path must run anyway.
 */
function branches(env: Readonly<Record<string, string | undefined>>, mfaCode: HotPathDeps['mfaCode']): Branches | undefined {
  const rolehopHome = hotHome(env);
  if (!rolehopHome) return undefined;
  const agent = !env.ROLEHOP_NO_AGENT && existsSync(agentPaths(rolehopHome).socket) ? { rolehopHome, env, mfaCode } : undefined;
  const backend = env.ROLEHOP_BACKEND ?? readBackendChoice(rolehopHome);
  const bus = env.DBUS_SESSION_BUS_ADDRESS;
  const keychainBus = backend === 'keychain' && bus && process.platform === 'linux' ? bus : undefined;
  return { rolehopHome, ...(agent ? { agent } : {}), ...(keychainBus ? { keychainBus } : {}) };
}

/**
 * `rolehop export PROFILE --format credential-process` without the CLI: the
 * call every AWS tool repeats, answered
 * 1. by a running agent (one Unix-socket round trip, its finished line), or else
 * 2. from the profile's session copy, when the keychain backend keeps one
 *    and the Secret Service can be read directly over D-Bus.
 *
 * Resolves the document to print, or undefined to take the normal path,
 * which then does everything the long way (and reports whatever went
 * wrong). An error the agent reports is thrown as it came. Each branch
 * imports only its own modules (node:net costs about 2 ms); neither loads
 * node:crypto.
 */
export async function hotCredentialProcess(profile: string, env: Readonly<Record<string, string | undefined>>, deps: HotPathDeps): Promise<string | undefined> {
  const b = branches(env, deps.mfaCode);
  if (!b) return undefined;
  if (b.agent) {
    const { credentialProcessViaAgent } = await import('./agent-hit.js');
    const out = await credentialProcessViaAgent(profile, b.agent);
    if (out !== undefined) return out;
  }
  if (!b.keychainBus) return undefined;
  const hit = await (await deps.keychainHit(b.rolehopHome)).keychainCacheHit(profile, env, b.keychainBus);
  return hit ? credentialProcessLine(hit.credentials) : undefined;
}

/**
 * A profile's credentials and the region to report with them (`region`, or
 * else the profile's own), from the same two branches as
 * {@link hotCredentialProcess} and with the same contract: undefined means
 * "take the normal path", an error the agent reports is thrown as it came.
 * What the normal path's broker would answer for `credentials(profile, { region })`.
 */
export async function hotCredentials(
  profile: string,
  region: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  deps: HotPathDeps,
): Promise<{ credentials: Credentials; region?: string } | undefined> {
  const b = branches(env, deps.mfaCode);
  if (!b) return undefined;
  const req = region ? { region } : {};
  let hit: { credentials: Credentials; plan: { region?: string } } | undefined;
  if (b.agent) hit = await (await import('./agent-hit.js')).credentialsViaAgent(profile, req, b.agent);
  if (!hit && b.keychainBus) hit = await (await deps.keychainHit(b.rolehopHome)).keychainCacheHit(profile, env, b.keychainBus, req);
  if (!hit) return undefined;
  const shown = region ?? hit.plan.region;
  return { credentials: hit.credentials, ...(shown ? { region: shown } : {}) };
}

/**
 * `clear` without the CLI: done by a running agent, which holds the store
 * and the session cache, or, with no agent, in a keychain-backend home with a
 * session bus, here over D-Bus (`keychain-clear.ts`). Resolves what was done,
 * or undefined to take the normal path: no branch applies, an agent is
 * there but gives no answer (the normal path deals with it), or the
 * keychain branch cannot judge the copies. Errors as for
 * {@link hotCredentialProcess}, and the broker's own when a cache entry
 * cannot be removed.
 */
export async function hotClear(
  profile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  deps: HotPathDeps,
): Promise<KeychainClear | undefined> {
  const b = branches(env, deps.mfaCode);
  if (!b) return undefined;
  if (b.agent) {
    const cleared = await (await import('./agent-hit.js')).clearViaAgent(profile, b.agent);
    return cleared === undefined ? undefined : { cleared, copiesLeft: false };
  }
  // An explicit backend in a home that has none yet: the normal path opens
  // the store, and so remembers the choice.
  if (!b.keychainBus || (env.ROLEHOP_BACKEND !== undefined && readBackendChoice(b.rolehopHome) === undefined)) return undefined;
  return (await import('./keychain-clear.js')).keychainClear(profile, b.rolehopHome, b.keychainBus);
}

/**
 * `login PROFILE --stdout` on a cache hit: the sign-in link to print, or
 * undefined to take the normal path, from the same two branches as
 * {@link hotCredentials} (see `consoleLinkHit`). `signal` stops the
 * federation call as Ctrl-C stops it on the normal path.
 */
export async function hotLoginLink(
  profile: string,
  region: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  deps: HotPathDeps,
  signal: AbortSignal,
): Promise<string | undefined> {
  const b = branches(env, deps.mfaCode);
  if (!b || !deps.loginHit || (!b.agent && !b.keychainBus)) return undefined;
  return (await deps.loginHit(b.rolehopHome)).consoleLinkHit(profile, region, env, b, signal);
}
