import type { Socket } from 'node:net';
import { ErrorCodes, RolehopError, isRolehopError } from '../errors.js';
import type { Logger, MfaRequest } from '../io/context.js';
import type { AskCaller } from './broker-pool.js';
import { AGENT_BUILD, AGENT_PROTOCOL_VERSION, lineReader, type AgentRequest, type AgentResponse, type WireError } from './protocol.js';
import { checkFrame, type CheckedFrame } from './request-shape.js';

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

/** Operations any build may ask of any agent: enough to find out about it and to stop it. */
const BUILD_NEUTRAL = new Set(['hello', 'status', 'stop']);
const RESTART_HINT = 'Restart the agent with this rolehop version, or set ROLEHOP_NO_AGENT=1.';

/**
 * Serves one client connection: newline-delimited JSON requests in, results,
 * errors and MFA questions out. Every frame is checked ({@link checkFrame})
 * before it is acted on: a request with a usable id but a bad body is
 * answered with ERR_AGENT and the connection goes on; a line that is not
 * JSON, too long, or has no id drops this connection only. Nothing a peer
 * sends can throw out of here: a last-resort guard logs and drops the
 * connection instead, so the agent keeps serving the others. Questions still
 * open when the caller goes away reject with ERR_MFA_UNAVAILABLE.
 */
export function serveConnection(conn: Socket, host: ConnectionHost): void {
  conn.on('error', () => {});
  let nextAsk = 1;
  const asks = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void }>();
  const send = (m: AgentResponse) => {
    if (conn.destroyed) return;
    let line: string;
    try {
      line = JSON.stringify(m);
    } catch {
      // A result that cannot be serialised is the agent's bug, not the caller's.
      line = JSON.stringify({ id: m.id, ok: false, error: wire(undefined) });
    }
    conn.write(line + '\n');
  };
  const drop = (why: string) => {
    host.logger.warn(`agent: dropped a connection (${why})`);
    conn.destroy();
  };
  conn.on('close', () => {
    for (const a of asks.values()) a.reject(new RolehopError(ErrorCodes.MFA_UNAVAILABLE, 'The caller went away before giving an MFA code'));
    asks.clear();
  });

  const answer = (f: Extract<CheckedFrame, { kind: 'answer' }>) => {
    const a = asks.get(f.askId);
    asks.delete(f.askId);
    if (!a) return;
    if ('answer' in f) a.resolve(f.answer);
    else a.reject(new RolehopError(f.error.code, f.error.message, f.error.hint !== undefined ? { hint: f.error.hint } : {}));
  };

  const request = (req: AgentRequest) => {
    host.received();
    if (req.v !== undefined && req.v !== AGENT_PROTOCOL_VERSION) {
      return send({ id: req.id, ok: false, error: { code: ErrorCodes.AGENT, message: 'Agent protocol version mismatch', hint: 'Restart the agent.' } });
    }
    // Another build's caller gets no answer computed with this build's code; it stops this agent instead (see connectAgent).
    if (req.b !== undefined && req.b !== AGENT_BUILD && !BUILD_NEUTRAL.has(req.op)) {
      return send({ id: req.id, ok: false, error: { code: ErrorCodes.AGENT, message: 'The agent is from another rolehop build', hint: RESTART_HINT } });
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
    // Through a promise, so an operation that throws synchronously is still an answer.
    Promise.resolve()
      .then(() => host.execute(req, ask))
      .then(
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

  const onFrame = (m: unknown) => {
    const f = checkFrame(m);
    if (f.kind === 'request') return request(f.req);
    if (f.kind === 'answer') return answer(f);
    if (f.kind === 'unaddressable') return drop(f.why);
    host.logger.warn(`agent: refused a request (${f.why})`);
    const message = f.why === 'unknown operation' ? 'Unknown agent operation' : `Malformed agent request (${f.why})`;
    send({ id: f.id, ok: false, error: { code: ErrorCodes.AGENT, message, hint: RESTART_HINT } });
  };

  const read = lineReader(onFrame, (why) => drop(why));
  conn.on('data', (chunk: Buffer) => {
    try {
      read(chunk);
    } catch (e) {
      // Last resort: whatever slipped past the checks costs this connection, never the agent.
      drop(`internal error: ${(e as Error)?.name ?? 'error'}`);
    }
  });
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
