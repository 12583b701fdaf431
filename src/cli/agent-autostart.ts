// The agent starting itself, as gpg-agent does: the first command that
// unlocks the file vault hands the passphrase that just worked to a new
// agent, so the key derivation (scrypt, 0.3-0.7 s) is paid once per login
// session instead of once per process. The agent ends on its idle timeout.
import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_IDLE_TIMEOUT_MS } from '../agent/idle-timeout.js';
import type { Logger } from '../io/context.js';
import { spawnAgentDaemon } from './agent-spawn.js';

/** Values of ROLEHOP_AGENT_AUTOSTART that turn autostart off. */
const OFF = new Set(['0', 'false', 'no', 'off']);

/** A claim younger than this means another process is starting the agent right now (the daemon pays the KDF before it answers, then removes the claim). */
const CLAIM_FRESH_MS = 60_000;

/** Whether the agent may start itself: not with ROLEHOP_NO_AGENT, nor with ROLEHOP_AGENT_AUTOSTART=0 (or false/no/off). */
export function autostartEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.ROLEHOP_NO_AGENT) return false;
  const v = env.ROLEHOP_AGENT_AUTOSTART;
  return v === undefined || !OFF.has(v.trim().toLowerCase());
}

/** The claim file of {@link claim}; the agent removes it once it answers (or failed), so a later death is followed by a new start. */
export function autostartClaimPath(rolehopHome: string): string {
  return join(rolehopHome, 'agent-autostart.claim');
}

/** Removes the claim, if any; never throws. */
export function releaseAutostartClaim(rolehopHome: string): void {
  try {
    unlinkSync(autostartClaimPath(rolehopHome));
  } catch {
    // absent, or not ours to remove: either way nothing to do
  }
}

/**
 * Takes the right to start the agent for `rolehopHome` for a minute, so the
 * twenty processes that unlock at the same moment start one agent, not
 * twenty (each would pay the KDF again before giving way). A stale claim
 * (a starter that died) is taken over.
 */
function claim(rolehopHome: string): boolean {
  const path = autostartClaimPath(rolehopHome);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      try {
        if (Date.now() - statSync(path).mtimeMs < CLAIM_FRESH_MS) return false;
        unlinkSync(path);
      } catch {
        return false;
      }
    }
  }
  return false;
}

/**
 * Starts the agent in the background with `passphrase`, unless one answers
 * already or another process is starting one. Never fails the command:
 * the agent is an optimisation, and its own failures go to its log.
 * Resolves once the passphrase has left this process (through the
 * daemon's stdin, never argv or the environment).
 */
export async function autostartAgent(opts: {
  env: Readonly<Record<string, string | undefined>>;
  rolehopHome: string;
  passphrase: string;
  logger: Logger;
}): Promise<void> {
  try {
    const { agentStatus } = await import('../agent/agent-client.js');
    if (await agentStatus(opts.rolehopHome)) return;
    if (!claim(opts.rolehopHome)) return;
    const { child, written } = spawnAgentDaemon(
      opts.env,
      opts.rolehopHome,
      { passphrase: opts.passphrase, backend: 'file', idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS },
      false,
    );
    child.unref();
    await written;
    opts.logger.info(
      `started the agent (pid ${child.pid ?? '?'}): it keeps the file vault unlocked for your next commands until ${DEFAULT_IDLE_TIMEOUT_MS / 3_600_000} h without use. ` +
        '`rolehop agent stop` ends it; ROLEHOP_AGENT_AUTOSTART=0 turns this off.',
    );
  } catch (e) {
    opts.logger.debug(`agent autostart failed: ${(e as Error)?.message ?? String(e)}`);
  }
}
