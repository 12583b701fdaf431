import type { Socket } from 'node:net';
import { ErrorCodes, RolehopError, isRolehopError } from '../errors.js';
import type { Logger, MfaRequest } from '../io/context.js';
import type { AskCaller } from './broker-pool.js';
import { AGENT_PROTOCOL_VERSION, lineReader, type AgentAnswer, type AgentRequest, type AgentResponse, type WireError } from './protocol.js';

/** What a connection needs from the agent around it. */
export interface ConnectionHost {
  /** Runs one request; `ask` forwards an MFA question to this connection's caller. */
  execute(req: AgentRequest, ask: AskCaller): Promise<unknown>;
  /** A request arrived (counted, and it resets the idle timer). */
  received(): void;
  /** A request finished either way (resets the idle timer). */
  settled(): void;
  /** A caller asked the agent to stop. */
  stop(): void;
  logger: Logger;
}

/**
 * Serves one client connection: newline-delimited JSON requests in, results,
 * errors and MFA questions out. A malformed or oversized line, or a message
 * that is neither a request nor an answer, drops the connection. Questions
 * still open when the caller goes away reject with ERR_MFA_UNAVAILABLE.
 */
export function serveConnection(conn: Socket, host: ConnectionHost): void {
  conn.on('error', () => {});
  let nextAsk = 1;
  const asks = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void }>();
  const send = (m: AgentResponse) => {
    if (!conn.destroyed) conn.write(JSON.stringify(m) + '\n');
  };
  conn.on('close', () => {
    for (const a of asks.values()) a.reject(new RolehopError(ErrorCodes.MFA_UNAVAILABLE, 'The caller went away before giving an MFA code'));
    asks.clear();
  });

  const answer = (msg: Partial<AgentAnswer> & { askId: number }) => {
    const a = asks.get(msg.askId);
    asks.delete(msg.askId);
    if (!a) return;
    if ('answer' in msg && typeof msg.answer === 'string') a.resolve(msg.answer);
    else {
      const w = (msg as { error?: WireError }).error;
      a.reject(
        new RolehopError(
          (w?.code as typeof ErrorCodes.MFA_UNAVAILABLE) ?? ErrorCodes.MFA_UNAVAILABLE,
          w?.message ?? 'No MFA code was given',
          w?.hint ? { hint: w.hint } : {},
        ),
      );
    }
  };

  const request = (req: AgentRequest) => {
    host.received();
    if (req.v !== undefined && req.v !== AGENT_PROTOCOL_VERSION) {
      return send({ id: req.id, ok: false, error: { code: ErrorCodes.AGENT, message: 'Agent protocol version mismatch', hint: 'Restart the agent.' } });
    }
    if (req.op === 'stop') {
      send({ id: req.id, ok: true, result: { pid: process.pid } });
      return host.stop();
    }
    const ask = (r: MfaRequest) =>
      new Promise<string>((resolve, reject) => {
        const askId = nextAsk++;
        asks.set(askId, { resolve, reject });
        send({ id: req.id, ask: { askId, kind: 'mfa', req: { serial: r.serial, profile: r.profile, ...(r.mfaProcess ? { mfaProcess: r.mfaProcess } : {}) } } });
      });
    host.execute(req, ask).then(
      (result) => {
        host.settled();
        send({ id: req.id, ok: true, result });
      },
      (e: unknown) => {
        host.settled();
        if (!isRolehopError(e)) host.logger.warn(`agent: ${req.op} failed unexpectedly (${(e as Error)?.name ?? 'error'})`);
        send({ id: req.id, ok: false, error: wire(e) });
      },
    );
  };

  conn.on(
    'data',
    lineReader(
      (m) => {
        const msg = m as Partial<AgentRequest & AgentAnswer>;
        if (typeof msg.askId === 'number') return answer(msg as Partial<AgentAnswer> & { askId: number });
        if (typeof msg.id !== 'number' || typeof msg.op !== 'string') return void conn.destroy();
        request(msg as AgentRequest);
      },
      () => conn.destroy(),
    ),
  );
}

/** A failure as the client sees it: a RolehopError's code, message and hint; anything else an opaque internal error. */
function wire(e: unknown): WireError {
  if (isRolehopError(e)) return { code: e.code, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}) };
  return {
    code: ErrorCodes.INTERNAL,
    message: 'Internal error in the rolehop agent',
    hint: 'See the agent log under ROLEHOP_HOME/agent, or set ROLEHOP_NO_AGENT=1.',
  };
}
