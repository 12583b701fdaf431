import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { agentPaths } from '../agent/protocol.js';
import { credentialProcessLine } from '../credentials/process-document.js';
import type { Credentials } from '../credentials/types.js';
import type { MfaRequest } from '../io/context.js';
import { entryProblem, homeProblem } from '../io/private-path.js';
import { readBackendChoice } from '../stores/backend-choice.js';
import type { AgentHitCaller } from './agent-hit.js';

/** What the hot path loads only when it needs it. */
export interface HotPathDeps {
  /** Answers an agent's MFA question (loads the prompts). */
  mfaCode: (req: MfaRequest) => Promise<string>;
  /** The keychain branch, a bundle of its own (dist/hot-keychain.cjs): the agent branch never pays to compile it. */
  keychainHit: (rolehopHome: string) => Promise<typeof import('./keychain-hit.js')>;
}

/**
 * The rolehop home when it and its code cache (`<home>/code-cache`) can be
 * written by nobody but this user; undefined otherwise, and when it cannot
 * be told without node:os (no ROLEHOP_HOME nor HOME). A home another user
 * could write to is refused by the normal path, which says how to fix it,
 * where a hit would stay silent; and a code cache there is never used.
 */
export function trustedRolehopHome(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const rolehopHome = env.ROLEHOP_HOME || (env.HOME ? join(env.HOME, '.rolehop') : undefined);
  if (!rolehopHome || homeProblem(rolehopHome) || entryProblem(join(rolehopHome, 'code-cache'))) return undefined;
  return rolehopHome;
}

/** Which branches may answer for this environment. */
interface Branches {
  agent?: AgentHitCaller;
  /** The session bus, when the keychain backend keeps session copies there. */
  keychainBus?: string;
  rolehopHome: string;
}

/**
 * Where a cache hit may come from: a running agent (its socket exists) and
 * the keychain's session copies (the keychain backend on Linux with a
 * session bus). Undefined when the normal path must run anyway.
 */
function branches(env: Readonly<Record<string, string | undefined>>, mfaCode: HotPathDeps['mfaCode']): Branches | undefined {
  const rolehopHome = trustedRolehopHome(env);
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
 * `clear` answered by a running agent, which holds the store and the
 * session cache: the number of sessions it cleared, or undefined (no agent)
 * to take the normal path. Errors as for {@link hotCredentialProcess}.
 */
export async function hotClear(profile: string | undefined, env: Readonly<Record<string, string | undefined>>, deps: HotPathDeps): Promise<number | undefined> {
  const agent = branches(env, deps.mfaCode)?.agent;
  return agent ? (await import('./agent-hit.js')).clearViaAgent(profile, agent) : undefined;
}
