import { SingleFlight } from '../async/single-flight.js';
import { credentialProcessLine } from '../credentials/process-document.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { Broker } from '../sessions/broker-contract.js';
import type { AskCaller, BrokerPool } from './broker-pool.js';
import { AGENT_BUILD, AGENT_PROTOCOL_VERSION, type AgentRequest, type AgentStatus } from './protocol.js';

/**
 * What the agent does for one request (`stop` excepted: the connection
 * handles it). Identical in-flight requests (same operation, arguments and
 * caller environment) share one execution; `clearSessions` always runs, so
 * each caller's clear counts. The broker underneath also single-flights each
 * STS step and locks across processes.
 */
export class AgentOperations {
  readonly #pool: BrokerPool;
  readonly #status: () => AgentStatus;
  readonly #running = new SingleFlight<string, unknown>();

  constructor(pool: BrokerPool, status: () => AgentStatus) {
    this.#pool = pool;
    this.#status = status;
  }

  /** Runs `req` on its caller's broker; the broker's MFA questions go to `ask`. Unknown operations reject with ERR_AGENT. */
  execute(req: AgentRequest, ask: AskCaller): Promise<unknown> {
    const a = req.args ?? [];
    if (req.op === 'hello') return Promise.resolve({ version: AGENT_PROTOCOL_VERSION, build: AGENT_BUILD, pid: process.pid });
    if (req.op === 'status') return Promise.resolve(this.#status());
    const broker = this.#pool.brokerFor(req.env ?? {});
    const go = () => this.#pool.forwardingPrompts(ask, () => dispatch(broker, req.op, a));
    if (req.op === 'clearSessions') return go();
    return this.#running.run(JSON.stringify([req.op, a, req.env ?? {}]), go);
  }

  /** Forgets the running requests (they go on; later ones start afresh). */
  clear(): void {
    this.#running.clear();
  }
}

/** Calls the broker operation `op` with its wire arguments. */
function dispatch(broker: Broker, op: AgentRequest['op'], a: unknown[]): Promise<unknown> {
  switch (op) {
    case 'credentials':
      return broker.credentials(String(a[0]), (a[1] ?? {}) as object);
    case 'credentialProcess':
      return broker.credentials(String(a[0])).then((r) => credentialProcessLine(r.credentials));
    case 'sessionCredentials':
      return broker.sessionCredentials(String(a[0]), (a[1] ?? {}) as object);
    case 'assumeRole':
      return broker.assumeRole(a[0] as Parameters<Broker['assumeRole']>[0]);
    case 'storedKey':
      return broker.storedKey(String(a[0]));
    case 'clearSessions':
      return broker.clearSessions(a[0] === undefined ? undefined : String(a[0]));
    default:
      return Promise.reject(new RolehopError(ErrorCodes.AGENT, 'Unknown agent operation', { hint: 'Restart the agent with this rolehop version.' }));
  }
}
