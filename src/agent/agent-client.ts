// The client side of the agent: small on purpose (node:net only, no SDK),
// because it sits on the hot path of `export --format credential-process`.
import { lstatSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { Plan, PlanOptions } from '../config/plan.js';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, isRolehopError, RolehopError, type ErrorCode } from '../errors.js';
import type { Logger, Prompter } from '../io/context.js';
import type { AssumeRequest, Broker, CredentialRequest, ResolvedCredentials } from '../sessions/broker-contract.js';
import {
  AGENT_BUILD,
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

const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCodes));

/** The agent's error as a RolehopError; a code this rolehop does not know is the agent's own trouble (ERR_AGENT). */
function toError(w: WireError): RolehopError {
  const code = CODES.has(w.code) ? (w.code as ErrorCode) : ErrorCodes.AGENT;
  return new RolehopError(code, w.message, w.hint !== undefined ? { hint: w.hint } : {});
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `m` is an {@link AgentResponse} this client can act on; anything else means the agent is broken. */
function isResponse(m: unknown): m is AgentResponse {
  if (!isObj(m) || !Number.isSafeInteger(m.id)) return false;
  if (m.ok === true) return 'result' in m;
  if (m.ok === false) return isObj(m.error) && typeof m.error.code === 'string' && typeof m.error.message === 'string';
  const ask = m.ask;
  return isObj(ask) && Number.isSafeInteger(ask.askId) && isObj(ask.req) && typeof ask.req.serial === 'string' && typeof ask.req.profile === 'string';
}

/** How long a live agent may take to say hello (generous: a loaded machine). */
export const HELLO_TIMEOUT_MS = 3000;

/** How long a request may go without a word from the agent (none while the caller answers an MFA question). */
export const AGENT_SILENCE_MS = 60_000;

const LOST = () =>
  new RolehopError(ErrorCodes.AGENT, 'The rolehop agent closed the connection', {
    hint: 'Check `rolehop agent status`; set ROLEHOP_NO_AGENT=1 to bypass the agent.',
  });

/**
 * One connection to the agent, multiplexing requests by id. Whatever the
 * agent does (hangs up, answers garbage or an unknown shape, falls silent
 * for {@link AGENT_SILENCE_MS} while a request waits) ends the connection,
 * and every waiting request rejects with ERR_AGENT: callers treat that as
 * "no agent" and take the normal path.
 */
export class AgentConnection {
  #socket: Socket;
  #next = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; onAsk?: AskHandler }>();
  #closed = false;
  #silenceMs: number;
  #silence: NodeJS.Timeout | undefined;
  /** MFA questions the caller is answering: the agent rightly waits meanwhile. */
  #asking = 0;
  /** The agent's build, from its hello (undefined: an agent older than build checks). Set by {@link connectAgent}. */
  build: string | undefined;

  private constructor(socket: Socket, silenceMs: number) {
    this.#socket = socket;
    this.#silenceMs = silenceMs;
    socket.on(
      'data',
      lineReader(
        (m) => this.#onMessage(m),
        () => socket.destroy(),
      ),
    );
    socket.on('close', () => {
      this.#closed = true;
      this.#quiet();
      for (const p of this.#pending.values()) p.reject(LOST());
      this.#pending.clear();
    });
    socket.on('error', () => {});
    socket.unref();
  }

  /** (Re)arms the silence timer while requests wait on the agent. */
  #watch(): void {
    this.#quiet();
    if (this.#pending.size === 0 || this.#asking > 0) return;
    this.#silence = setTimeout(() => this.#socket.destroy(), this.#silenceMs);
    this.#silence.unref();
  }

  #quiet(): void {
    if (this.#silence) clearTimeout(this.#silence);
    this.#silence = undefined;
  }

  /**
   * Connects to the agent of `rolehopHome`; resolves undefined when none
   * answers (no socket, stale socket, unsafe directory, timeout), so callers
   * fall back to working without it.
   */
  static open(rolehopHome: string, timeoutMs = 1000, silenceMs = AGENT_SILENCE_MS): Promise<AgentConnection | undefined> {
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
        resolve(new AgentConnection(s, silenceMs));
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
      this.#socket.write(JSON.stringify({ id, op, args, v: AGENT_PROTOCOL_VERSION, b: AGENT_BUILD, ...(env ? { env } : {}) }) + '\n');
      this.#watch();
    });
  }

  /** Drops the connection at once: every waiting request rejects with ERR_AGENT. */
  abandon(): void {
    this.#socket.destroy();
  }

  /** Closes the connection. */
  close(): void {
    this.#socket.end();
    this.#socket.unref();
  }

  #onMessage(m: unknown): void {
    if (!isResponse(m)) return void this.#socket.destroy();
    const p = this.#pending.get(m.id);
    this.#watch();
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
      this.#asking++;
      this.#watch();
      p.onAsk(ask)
        .then(
          (answer) => reply({ askId: ask.askId, answer }),
          (e: unknown) => {
            // Not instanceof: on the executable's fast path the answer comes from main.mjs, another copy of the error class.
            const r = isRolehopError(e) ? e : new RolehopError(ErrorCodes.MFA_UNAVAILABLE, 'No MFA code was given');
            reply({ askId: ask.askId, error: { code: r.code, message: r.message, ...(r.hint ? { hint: r.hint } : {}) } });
          },
        )
        .finally(() => {
          this.#asking--;
          this.#watch();
        });
      return;
    }
    this.#pending.delete(m.id);
    this.#watch();
    if (this.#pending.size === 0) this.#socket.unref();
    if (m.ok) p.resolve(m.result);
    else p.reject(toError(m.error));
  }
}

const UNEXPECTED = () =>
  new RolehopError(ErrorCodes.AGENT, 'The rolehop agent answered something unexpected', {
    hint: 'Restart it with `rolehop agent stop && rolehop agent start`; set ROLEHOP_NO_AGENT=1 to bypass the agent.',
  });

/** The agent's credentials with their date revived; ERR_AGENT when the answer is not credentials. */
function reviveCredentials(c: unknown): Credentials {
  if (!isObj(c) || typeof c.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string') throw UNEXPECTED();
  const creds = c as unknown as Credentials & { expiration?: Date | string };
  return creds.expiration !== undefined ? { ...creds, expiration: new Date(creds.expiration) } : creds;
}

/**
 * The agent's answer to `credentials` or `sessionCredentials` as the broker
 * returns it (the expiry a Date again); ERR_AGENT when it has another shape.
 */
export function readResolvedCredentials(r: unknown): ResolvedCredentials {
  if (!isObj(r) || !isObj(r.plan)) throw UNEXPECTED();
  return { ...(r as unknown as ResolvedCredentials), credentials: reviveCredentials(r.credentials) };
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
  const resolved = async (op: AgentOp, profile: string, req?: CredentialRequest): Promise<ResolvedCredentials> =>
    readResolvedCredentials(await call(op, [profile, req ?? {}]));
  return {
    plan: (profile: string, o?: PlanOptions): Plan => opts.plan(profile, o),
    credentials: (profile, req) => resolved('credentials', profile, req),
    sessionCredentials: (profile, req) => resolved('sessionCredentials', profile, req),
    async assumeRole(req: AssumeRequest) {
      return reviveCredentials(await call('assumeRole', [req]));
    },
    async storedKey(profile) {
      const k = await call('storedKey', [profile]);
      if (!isObj(k) || typeof k.accessKeyId !== 'string' || typeof k.secretAccessKey !== 'string') throw UNEXPECTED();
      return { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
    },
    async clearSessions(profile) {
      const n = await call('clearSessions', profile === undefined ? [] : [profile]);
      if (typeof n !== 'number') throw UNEXPECTED();
      return n;
    },
    close: () => conn.close(),
  };
}

/**
 * Connects and says hello. Resolves undefined (and logs why at debug level)
 * when no compatible agent answers: no connection within `timeoutMs`, or no
 * hello within {@link HELLO_TIMEOUT_MS}. Callers then use the local broker.
 */
export async function connectAgent(rolehopHome: string, logger?: Logger, timeoutMs = 1000): Promise<AgentConnection | undefined> {
  const conn = await AgentConnection.open(rolehopHome, timeoutMs);
  if (!conn) return undefined;
  // An agent that accepts but never answers is as good as none.
  const timer = setTimeout(() => conn.abandon(), HELLO_TIMEOUT_MS);
  try {
    const hello = await conn.request('hello');
    if (isObj(hello) && hello.version === AGENT_PROTOCOL_VERSION) {
      conn.build = typeof hello.build === 'string' ? hello.build : undefined;
      return conn;
    }
    logger?.warn('the running rolehop agent speaks another protocol version; restart it with `rolehop agent stop && rolehop agent start`');
  } catch (e) {
    logger?.debug(`agent: hello failed (${e instanceof RolehopError ? e.code : 'error'})`);
  } finally {
    clearTimeout(timer);
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
