import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { AwsConfig } from '../config/aws-config.js';
import { loadAwsConfig } from '../config/load-config.js';
import { credentialProcessLine } from '../credentials/process-document.js';
import { StoreVault } from '../credentials/vault.js';
import { ErrorCodes, RolehopError, isRolehopError } from '../errors.js';
import { systemClock, type Clock, type Context, type Logger, type MfaRequest, type Prompter } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';
import { createBroker } from '../sessions/broker.js';
import { CACHE_KEY_ID, type SecretStore, type StoreKind } from '../stores/contract.js';
import { openStore } from '../stores/open-store.js';
import { isPrivateDir } from './agent-client.js';
import {
  AGENT_PROTOCOL_VERSION,
  agentPaths,
  isRelevantVariable,
  lineReader,
  type AgentAnswer,
  type AgentRequest,
  type AgentResponse,
  type AgentStatus,
  type WireError,
} from './protocol.js';

/** Inputs of {@link runAgentDaemon}. */
export interface AgentDaemonOptions {
  rolehopHome: string;
  homeDir: string;
  userName: string;
  /** The daemon's own environment (without ROLEHOP_FILE_PASSPHRASE); each request overlays its relevant variables. */
  env: Readonly<Record<string, string | undefined>>;
  /** The file vault passphrase, received over a pipe. Zeroed when the agent stops. */
  passphrase?: Buffer;
  /** Backend the starting CLI resolved to. */
  backend?: StoreKind;
  /** Exit after this long without a request; 0 = never. */
  idleTimeoutMs: number;
  /** Aborting stops the agent (SIGTERM, SIGINT). */
  signal: AbortSignal;
  logger: Logger;
  clock?: Clock;
  /** Called once the socket accepts connections. */
  onReady?: (info: { pid: number; socket: string }) => void;
  /** Tests: replace the store. */
  openStore?: () => Promise<SecretStore>;
  /** Tests: replace the broker (e.g. with a fake StsPort inside). */
  makeBroker?: (ctx: Context, store: SecretStore, config: () => AwsConfig) => Broker;
}

/** How many distinct caller environments keep a warm broker. */
const MAX_BROKERS = 16;

function wire(e: unknown): WireError {
  if (isRolehopError(e)) return { code: e.code, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}) };
  return { code: ErrorCodes.INTERNAL, message: 'Internal error in the rolehop agent', hint: 'See the agent log under ROLEHOP_HOME/agent, or set ROLEHOP_NO_AGENT=1.' };
}

/** Makes the agent directory: 0700, ours, not a symlink. */
export function prepareAgentDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
    throw new RolehopError(ErrorCodes.AGENT, `${dir} is not a directory owned by you`, { hint: 'Remove it and run `rolehop agent start` again.' });
  }
  chmodSync(dir, 0o700);
  if (!isPrivateDir(dir)) throw new RolehopError(ErrorCodes.AGENT, `Cannot make ${dir} private (0700)`, { hint: 'Check the file system permissions.' });
}

/**
 * The agent: unlocks the store once, then serves {@link Broker} operations
 * on a Unix socket in a 0700 directory (only our uid, and root, can reach
 * it; clients also refuse a socket in a directory that is not private).
 * Resolves when the agent stopped: on `stop`, on the idle timeout, or when
 * `signal` aborts. On the way out it closes the socket, removes it, zeroes
 * the passphrase buffer and drops every broker (their data keys and
 * sessions), so nothing is left for a later reader of the process memory
 * but what the garbage collector has not yet reclaimed.
 *
 * Identical in-flight requests (same operation, arguments and caller
 * environment) share one execution; the broker underneath also single-flights
 * each STS step and locks across processes.
 */
export async function runAgentDaemon(opts: AgentDaemonOptions): Promise<void> {
  const clock = opts.clock ?? systemClock;
  const { dir, socket } = agentPaths(opts.rolehopHome);
  prepareAgentDir(dir);
  if (await answers(socket)) {
    throw new RolehopError(ErrorCodes.AGENT, 'A rolehop agent is already running', { hint: 'Use `rolehop agent status`, or `rolehop agent stop` first.' });
  }
  try {
    unlinkSync(socket);
  } catch {
    // no stale socket
  }

  let passphrase = opts.passphrase;
  const store = await (opts.openStore?.() ??
    openStore({
      ...(opts.backend ? { kind: opts.backend } : {}),
      rolehopHome: opts.rolehopHome,
      ...(opts.env.DBUS_SESSION_BUS_ADDRESS ? { dbusAddress: opts.env.DBUS_SESSION_BUS_ADDRESS } : {}),
      getPassphrase: async () => {
        if (!passphrase) throw new RolehopError(ErrorCodes.VAULT_NO_PASSPHRASE, 'The agent has no vault passphrase', { hint: 'Restart it with `rolehop agent start`.' });
        return passphrase.toString('utf8');
      },
      logger: opts.logger,
    }));
  // Pay the KDF now and fail the start on a wrong passphrase, not on the first request.
  await store.get(CACHE_KEY_ID);

  const als = new AsyncLocalStorage<(req: MfaRequest) => Promise<string>>();
  const prompter: Prompter = {
    async mfaCode(req) {
      const ask = als.getStore();
      if (!ask) throw new RolehopError(ErrorCodes.MFA_UNAVAILABLE, `The agent cannot ask for the MFA code of ${req.serial}`, { hint: 'Run the command again.' });
      return ask(req);
    },
    async passphrase() {
      if (!passphrase) throw new RolehopError(ErrorCodes.VAULT_NO_PASSPHRASE, 'The agent has no vault passphrase');
      return passphrase.toString('utf8');
    },
    async text() {
      throw new RolehopError(ErrorCodes.AGENT, 'The agent cannot prompt', { hint: 'Run the command with ROLEHOP_NO_AGENT=1.' });
    },
  };

  const brokers = new Map<string, Broker>();
  const configs = new Map<string, { stamp: string; config: AwsConfig }>();
  const loadConfig = (env: Readonly<Record<string, string | undefined>>, homeDir: string) => (): AwsConfig => {
    const path = env.AWS_CONFIG_FILE || join(homeDir, '.aws', 'config');
    let stamp = 'absent';
    try {
      const st = statSync(path);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // a missing file is an empty config
    }
    const key = `${homeDir}\0${path}`;
    const held = configs.get(key);
    if (held && held.stamp === stamp) return held.config;
    const config = loadAwsConfig(env, homeDir);
    for (const w of config.warnings ?? []) opts.logger.warn(w);
    configs.set(key, { stamp, config });
    return config;
  };
  const brokerFor = (subset: Record<string, string>): Broker => {
    const key = JSON.stringify(subset);
    const held = brokers.get(key);
    if (held) return held;
    const env: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(opts.env)) if (!isRelevantVariable(k)) env[k] = v;
    Object.assign(env, subset);
    const homeDir = env.HOME || opts.homeDir;
    const ctx: Context = { env, homeDir, rolehopHome: opts.rolehopHome, userName: opts.userName, clock, logger: opts.logger, prompter };
    const config = loadConfig(env, homeDir);
    const broker =
      opts.makeBroker?.(ctx, store, config) ??
      createBroker({ ctx, config, vault: new StoreVault(opts.rolehopHome, async () => store, () => store.kind), store: async () => store });
    if (brokers.size >= MAX_BROKERS) brokers.delete(brokers.keys().next().value!);
    brokers.set(key, broker);
    return broker;
  };

  const startedAt = new Date(clock.now()).toISOString();
  let requests = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let idleExpiresAt: number | undefined;
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const touch = () => {
    if (!opts.idleTimeoutMs) return;
    clearTimeout(idleTimer);
    idleExpiresAt = clock.now() + opts.idleTimeoutMs;
    idleTimer = setTimeout(() => {
      opts.logger.info('agent: idle timeout reached, stopping');
      stop();
    }, opts.idleTimeoutMs);
  };
  touch();
  opts.signal.addEventListener('abort', () => stop(), { once: true });

  const inflight = new Map<string, Promise<unknown>>();
  const coalesce = (key: string, fn: () => Promise<unknown>): Promise<unknown> => {
    const running = inflight.get(key);
    if (running) return running;
    const p = fn().finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  };

  const status = (): AgentStatus => ({
    pid: process.pid,
    version: AGENT_PROTOCOL_VERSION,
    backend: store.kind,
    startedAt,
    idleTimeoutSeconds: Math.round(opts.idleTimeoutMs / 1000),
    ...(idleExpiresAt !== undefined ? { idleExpiresAt: new Date(idleExpiresAt).toISOString() } : {}),
    requests,
  });

  const execute = (req: AgentRequest, ask: (r: MfaRequest) => Promise<string>): Promise<unknown> => {
    const a = req.args ?? [];
    if (req.op === 'hello') return Promise.resolve({ version: AGENT_PROTOCOL_VERSION, pid: process.pid });
    if (req.op === 'status') return Promise.resolve(status());
    const broker = brokerFor(req.env ?? {});
    const run = (): Promise<unknown> => {
      switch (req.op) {
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
    };
    const go = () => als.run(ask, run);
    if (req.op === 'clearSessions') return go();
    return coalesce(JSON.stringify([req.op, a, req.env ?? {}]), go);
  };

  const connections = new Set<Socket>();
  const server: Server = createServer((conn) => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
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
    conn.on(
      'data',
      lineReader(
        (m) => {
          const msg = m as Partial<AgentRequest & AgentAnswer>;
          if (typeof msg.askId === 'number') {
            const a = asks.get(msg.askId);
            asks.delete(msg.askId);
            if (!a) return;
            if ('answer' in msg && typeof msg.answer === 'string') a.resolve(msg.answer);
            else {
              const w = (msg as { error?: WireError }).error;
              a.reject(new RolehopError((w?.code as typeof ErrorCodes.MFA_UNAVAILABLE) ?? ErrorCodes.MFA_UNAVAILABLE, w?.message ?? 'No MFA code was given', w?.hint ? { hint: w.hint } : {}));
            }
            return;
          }
          if (typeof msg.id !== 'number' || typeof msg.op !== 'string') return void conn.destroy();
          const req = msg as AgentRequest;
          requests++;
          touch();
          if (req.v !== undefined && req.v !== AGENT_PROTOCOL_VERSION) {
            return send({ id: req.id, ok: false, error: { code: ErrorCodes.AGENT, message: 'Agent protocol version mismatch', hint: 'Restart the agent.' } });
          }
          if (req.op === 'stop') {
            send({ id: req.id, ok: true, result: { pid: process.pid } });
            return stop();
          }
          const ask = (r: MfaRequest) =>
            new Promise<string>((resolve, reject) => {
              const askId = nextAsk++;
              asks.set(askId, { resolve, reject });
              send({ id: req.id, ask: { askId, kind: 'mfa', req: { serial: r.serial, profile: r.profile, ...(r.mfaProcess ? { mfaProcess: r.mfaProcess } : {}) } } });
            });
          execute(req, ask).then(
            (result) => {
              touch();
              send({ id: req.id, ok: true, result });
            },
            (e: unknown) => {
              touch();
              if (!isRolehopError(e)) opts.logger.warn(`agent: ${req.op} failed unexpectedly (${(e as Error)?.name ?? 'error'})`);
              send({ id: req.id, ok: false, error: wire(e) });
            },
          );
        },
        () => conn.destroy(),
      ),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socket, 0o600);
  opts.logger.info(`agent: listening on ${socket} (pid ${process.pid})`);
  opts.onReady?.({ pid: process.pid, socket });

  await stopped;
  clearTimeout(idleTimer);
  server.close();
  for (const c of connections) c.end();
  setTimeout(() => {
    for (const c of connections) c.destroy();
  }, 200).unref();
  try {
    unlinkSync(socket);
  } catch {
    // already gone
  }
  // Wipe what we can reach: the passphrase bytes, and every reference to the
  // unlocked store, brokers (data keys, in-memory sessions) and configs.
  passphrase?.fill(0);
  passphrase = undefined;
  brokers.clear();
  configs.clear();
  inflight.clear();
  opts.logger.info('agent: stopped');
}

/** Whether something accepts connections on `socket`. */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    import('node:net').then(({ connect }) => {
      const s = connect(socket);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
  });
}
