import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { agentPaths } from '../agent/protocol.js';
import type { MfaRequest } from '../io/context.js';
import { entryProblem, homeProblem } from '../io/private-path.js';
import { readBackendChoice } from '../stores/backend-choice.js';

/** What the hot path loads only when it needs it. */
export interface HotPathDeps {
  /** Answers an agent's MFA question (loads the prompts). */
  mfaCode: (req: MfaRequest) => Promise<string>;
  /** The keychain branch, a bundle of its own (dist/hot-keychain.cjs): the agent branch never pays to compile it. */
  keychainHit: (rolehopHome: string) => Promise<typeof import('./keychain-hit.js')>;
}

/**
 * `rolehop export PROFILE --format credential-process` without the CLI: the
 * call every AWS tool repeats, answered
 * 1. by a running agent (one Unix-socket round trip), or else
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
  // Without HOME the normal path finds the home directory (node:os is not
  // worth loading here for a case that rare).
  const rolehopHome = env.ROLEHOP_HOME || (env.HOME ? join(env.HOME, '.rolehop') : undefined);
  if (!rolehopHome) return undefined;
  // A home (or a code cache) another user could write to: the normal path
  // refuses it and says how to fix it, where a hit would stay silent.
  if (homeProblem(rolehopHome) ?? entryProblem(join(rolehopHome, 'code-cache'))) return undefined;
  if (!env.ROLEHOP_NO_AGENT && existsSync(agentPaths(rolehopHome).socket)) {
    const { credentialProcessViaAgent } = await import('./agent-hit.js');
    const out = await credentialProcessViaAgent(profile, rolehopHome, env, deps.mfaCode);
    if (out !== undefined) return out;
  }
  const backend = env.ROLEHOP_BACKEND ?? readBackendChoice(rolehopHome);
  const bus = env.DBUS_SESSION_BUS_ADDRESS;
  if (backend !== 'keychain' || !bus || process.platform !== 'linux') return undefined;
  const { keychainCacheHit } = await deps.keychainHit(rolehopHome);
  return keychainCacheHit(profile, env, bus);
}
