// The client side of the agent: small on purpose (node:net only, no SDK),
// because it sits on the hot path of `export --format credential-process`.
import { lstatSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { Plan, PlanOptions } from '../config/plan.js';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, RolehopError, type ErrorCode } from '../errors.js';
import type { Logger, Prompter } from '../io/context.js';
import type { AssumeRequest, Broker, CredentialRequest, ResolvedCredentials } from '../sessions/broker-contract.js';
import {
  AGENT_PROTOCOL_VERSION,
  agentPaths,
  envSubset,
  lineReader,
  type AgentAnswer,
  type AgentOp,
  type AgentResponse,
  type AgentStatus,
  type WireError,
} from './protocol.js';

/** Answers the agent's questions (an MFA code) on behalf of the caller. */
export type AskHandler = (ask: Extract<AgentResponse, { ask: unknown }>['ask']) => Promise<string>;

/**
 * Whether `dir` is safe to trust: a real directory (no symlink) owned by us
 * and closed to group and others. A socket in a directory anyone else could
 * write to might be an impostor handing out credentials of its choice.
 */
export function isPrivateDir(dir: string, uid: number | undefined = process.getuid?.()): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

function toError(w: WireError): RolehopError {
  return new RolehopError((w.code as ErrorCode) ?? ErrorCodes.AGENT, w.message, w.hint !== undefined ? { hint: w.hint } : {});
}

const LOST = () =>
  new RolehopError(ErrorCodes.AGENT, 'The rolehop agent closed the connection', {
    hint: 'Check `rolehop agent status`; set ROLEHOP_NO_AGENT=1 to bypass the agent.',
  });

/** One connection to the agent, multiplexing requests by id. */
export class AgentConnection {
  #socket: Socket;
  #next = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; onAsk?: AskHandler }>();
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on(
      'data',
      lineReader(
        (m) => this.#onMessage(m as AgentResponse),
        () => socket.destroy(),
      ),
    );
    socket.on('close', () => {
      this.#closed = true;
      for (const p of this.#pending.values()) p.reject(LOST());
      this.#pending.clear();
    });
    socket.on('error', () => {});
    socket.unref();
  }

  /**
   * Connects to the agent of `rolehopHome`; resolves undefined when none
   * answers (no socket, stale socket, unsafe directory, timeout), so callers
   * fall back to working without it.
   */
  static open(rolehopHome: string, timeoutMs = 1000): Promise<AgentConnection | undefined> {
    const { dir, socket } = agentPaths(rolehopHome);
    if (!isPrivateDir(dir)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const s = connect(socket);
      const timer = setTimeout(() => {
        s.destroy();
        resolve(undefined);
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(new AgentConnection(s));
      });
      s.once('error', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }

  /** Whether the agent hung up. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one request; `onAsk` answers MFA questions raised while it runs. */
  request(op: AgentOp, args: unknown[] = [], env?: Record<string, string>, onAsk?: AskHandler): Promise<unknown> {
    if (this.#closed) return Promise.reject(LOST());
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, ...(onAsk ? { onAsk } : {}) });
      this.#socket.ref();
      this.#socket.write(JSON.stringify({ id, op, args, v: AGENT_PROTOCOL_VERSION, ...(env ? { env } : {}) }) + '\n');
    });
  }

  /** Closes the connection. */
  close(): void {
    this.#socket.end();
    this.#socket.unref();
  }

  #onMessage(m: AgentResponse): void {
    const p = this.#pending.get(m.id);
    if (!p) return;
    if ('ask' in m) {
      const ask = m.ask;
      const reply = (a: AgentAnswer) => {
        if (!this.#closed) this.#socket.write(JSON.stringify(a) + '\n');
      };
      if (!p.onAsk) {
        reply({ askId: ask.askId, error: { code: ErrorCodes.MFA_UNAVAILABLE, message: 'This caller cannot answer MFA prompts' } });
        return;
      }
      p.onAsk(ask).then(
        (answer) => reply({ askId: ask.askId, answer }),
        (e: unknown) => {
          const r = e instanceof RolehopError ? e : new RolehopError(ErrorCodes.MFA_UNAVAILABLE, 'No MFA code was given');
          reply({ askId: ask.askId, error: { code: r.code, message: r.message, ...(r.hint ? { hint: r.hint } : {}) } });
        },
      );
      return;
    }
    this.#pending.delete(m.id);
    if (this.#pending.size === 0) this.#socket.unref();
    if (m.ok) p.resolve(m.result);
    else p.reject(toError(m.error));
  }
}

function reviveCredentials(c: Credentials & { expiration?: Date | string }): Credentials {
  return c.expiration !== undefined ? { ...c, expiration: new Date(c.expiration) } : c;
}

/** Inputs of {@link createAgentBroker}. */
export interface AgentBrokerOptions {
  /** The caller's environment; only {@link envSubset} of it is sent. */
  env: Readonly<Record<string, string | undefined>>;
  /** Answers MFA questions the agent forwards (the caller's terminal, `--mfa-token` or `mfa_process`). */
  prompter: Prompter;
  /** `Broker.plan` is synchronous and pure: computed locally (resolvePlan over the caller's config). */
  plan: Broker['plan'];
}

/**
 * A {@link Broker} that forwards to the agent: the agent's store is already
 * unlocked and its sessions are warm, so a cache hit costs one local round
 * trip. MFA codes the agent needs are asked of `prompter` here, in the
 * caller's terminal.
 */
export function createAgentBroker(conn: AgentConnection, opts: AgentBrokerOptions): Broker & { close(): void } {
  const env = envSubset(opts.env);
  const onAsk: AskHandler = (ask) => opts.prompter.mfaCode(ask.req);
  const call = (op: AgentOp, args: unknown[]) => conn.request(op, args, env, onAsk);
  const resolved = async (op: AgentOp, profile: string, req?: CredentialRequest): Promise<ResolvedCredentials> => {
    const r = (await call(op, [profile, req ?? {}])) as ResolvedCredentials;
    return { ...r, credentials: reviveCredentials(r.credentials) };
  };
  return {
    plan: (profile: string, o?: PlanOptions): Plan => opts.plan(profile, o),
    credentials: (profile, req) => resolved('credentials', profile, req),
    sessionCredentials: (profile, req) => resolved('sessionCredentials', profile, req),
    async assumeRole(req: AssumeRequest) {
      return reviveCredentials((await call('assumeRole', [req])) as Credentials);
    },
    async storedKey(profile) {
      return (await call('storedKey', [profile])) as { accessKeyId: string; secretAccessKey: string };
    },
    async clearSessions(profile) {
      return (await call('clearSessions', profile === undefined ? [] : [profile])) as number;
    },
    close: () => conn.close(),
  };
}

/**
 * Connects and says hello. Resolves undefined (and logs why at debug level)
 * when no compatible agent answers, so callers use the local broker instead.
 */
export async function connectAgent(rolehopHome: string, logger?: Logger, timeoutMs = 1000): Promise<AgentConnection | undefined> {
  const conn = await AgentConnection.open(rolehopHome, timeoutMs);
  if (!conn) return undefined;
  try {
    const hello = (await conn.request('hello')) as { version: number };
    if (hello.version === AGENT_PROTOCOL_VERSION) return conn;
    logger?.warn('the running rolehop agent speaks another protocol version; restart it with `rolehop agent stop && rolehop agent start`');
  } catch (e) {
    logger?.debug(`agent: hello failed (${e instanceof RolehopError ? e.code : 'error'})`);
  }
  conn.close();
  return undefined;
}

/** The agent's status, or undefined when none runs. */
export async function agentStatus(rolehopHome: string): Promise<AgentStatus | undefined> {
  const conn = await connectAgent(rolehopHome);
  if (!conn) return undefined;
  try {
    return (await conn.request('status')) as AgentStatus;
  } finally {
    conn.close();
  }
}
