import type { CliContext } from '../cli/cli-context.js';
import type { Broker } from '../sessions/broker-contract.js';
import { connectAgent, createAgentBroker } from './agent-client.js';

/**
 * The broker to use when a rolehop agent runs for `cli.rolehopHome`, or
 * undefined (use the local broker) when none answers or `ROLEHOP_NO_AGENT`
 * is set. Costs one `lstat` when no agent runs; with one, a socket connect
 * and a hello round trip. `plan()` stays local (it is synchronous and pure).
 */
export async function agentBrokerFor(cli: CliContext): Promise<(Broker & { close(): void }) | undefined> {
  if (cli.env.ROLEHOP_NO_AGENT) return undefined;
  // The local plan's modules load while the hello round trip is in flight.
  const planParts = Promise.all([import('../config/resolve-plan.js'), cli.vault()]);
  planParts.catch(() => {});
  const conn = await connectAgent(cli.rolehopHome, cli.logger);
  if (!conn) return undefined;
  const [{ resolvePlan }, vault] = await planParts;
  cli.logger.debug('using the rolehop agent');
  return createAgentBroker(conn, {
    env: cli.env,
    prompter: cli.prompter,
    plan: (profile, opts = {}) => resolvePlan(cli.config(), profile, opts, cli.env, { userName: cli.userName, hasStoredKey: (p) => vault.has(p) }),
  });
}
