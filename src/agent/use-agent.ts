import type { AwsConfig } from '../config/aws-config.js';
import type { Vault } from '../credentials/vault-contract.js';
import type { Context, Logger } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';
import { connectAgent, createAgentBroker, type AgentConnection } from './agent-client.js';
import { AGENT_BUILD } from './protocol.js';
import { withLocalFallback } from './fallback-broker.js';

/**
 * What {@link agentBrokerFor} needs from its caller (the CLI context has it
 * all): where the agent lives, the caller's environment and prompter, and the
 * local config and vault for the plan that stays local.
 */
export interface AgentCaller extends Pick<Context, 'env' | 'rolehopHome' | 'userName' | 'logger' | 'prompter'> {
  /** The parsed AWS config (loaded on first use). */
  config(): AwsConfig;
  /** Stored long-lived keys (metadata without unlocking). */
  vault(): Promise<Vault>;
}

/**
 * Stops an agent another rolehop build left running (an upgrade, a
 * rebuild): it would answer with the old code until its idle timeout. The
 * call goes on locally, and the next unlock of the file vault starts an
 * agent of this build. Never throws.
 */
async function stopStaleAgent(conn: AgentConnection, logger: Logger): Promise<void> {
  try {
    const { pid } = (await conn.request('stop')) as { pid?: number };
    logger.info(`stopped the agent an earlier rolehop build left running (pid ${pid ?? '?'}); this command goes on without it.`);
  } catch {
    logger.debug('agent: could not stop the agent of another build');
  } finally {
    conn.close();
  }
}

/**
 * The broker to use when a rolehop agent runs for `caller.rolehopHome`, or
 * undefined (use the local broker) when none answers or `ROLEHOP_NO_AGENT`
 * is set in `caller.env`. Costs one `lstat` when no agent runs; with one, a
 * socket connect and a hello round trip. `plan()` stays local (it is
 * synchronous and pure). With `local`, an agent that fails mid-way (hangs
 * up, falls silent, answers garbage) hands the call and every later one to
 * `local()` instead of failing it ({@link withLocalFallback}).
 */
export async function agentBrokerFor(caller: AgentCaller, local?: () => Promise<Broker>): Promise<(Broker & { close(): void }) | undefined> {
  if (caller.env.ROLEHOP_NO_AGENT) return undefined;
  // The local plan's modules load while the hello round trip is in flight.
  const planParts = Promise.all([import('../config/resolve-plan.js'), caller.vault()]);
  planParts.catch(() => {});
  const conn = await connectAgent(caller.rolehopHome, caller.logger);
  if (!conn) return undefined;
  if (conn.build !== AGENT_BUILD) {
    await stopStaleAgent(conn, caller.logger);
    return undefined;
  }
  const [{ resolvePlan }, vault] = await planParts;
  caller.logger.debug('using the rolehop agent');
  const remote = createAgentBroker(conn, {
    env: caller.env,
    prompter: caller.prompter,
    plan: (profile, opts = {}) => resolvePlan(caller.config(), profile, opts, caller.env, { userName: caller.userName, hasStoredKey: (p) => vault.has(p) }),
  });
  return local ? withLocalFallback(remote, local, caller.logger) : remote;
}
