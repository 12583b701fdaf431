import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AwsConfig } from '../config/aws-config.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { systemClock, type Clock, type Context, type Logger } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';
import { CACHE_KEY_ID, type SecretStore, type StoreKind } from '../stores/contract.js';
import { openStore } from '../stores/open-store.js';
import { isPrivateDir } from './agent-client.js';
import { serveConnection } from './agent-connection.js';
import { AgentOperations } from './agent-operations.js';
import { BrokerPool } from './broker-pool.js';
import { IdleTimer } from './idle-timeout.js';
import { AGENT_PROTOCOL_VERSION, agentPaths, type AgentStatus } from './protocol.js';

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

/** Makes the agent directory: 0700, ours, not a symlink. */
export function prepareAgentDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    // Something else is in the way: the check below names it.
  }
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    throw new RolehopError(ErrorCodes.AGENT, `Cannot create ${dir}`, { hint: 'Check the permissions of ROLEHOP_HOME.' });
  }
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
 * Requests are served by {@link serveConnection} and {@link AgentOperations}
 * (identical in-flight requests share one execution) on the caller's broker
 * from a {@link BrokerPool}.
 */
export async function runAgentDaemon(opts: AgentDaemonOptions): Promise<void> {
  const clock = opts.clock ?? systemClock;
  const { dir, socket } = agentPaths(opts.rolehopHome);
  prepareAgentDir(dir);
  if (await answers(socket)) {
    throw new RolehopError(ErrorCodes.AGENT, 'A rolehop agent is already running', { hint: 'Use `rolehop agent status`, or `rolehop agent stop` first.' });
  }
  removeDeadSocket(socket);

  let passphrase = opts.passphrase;
  const store = await (opts.openStore?.() ??
    openStore({
      ...(opts.backend ? { kind: opts.backend } : {}),
      rolehopHome: opts.rolehopHome,
      ...(opts.env.DBUS_SESSION_BUS_ADDRESS ? { dbusAddress: opts.env.DBUS_SESSION_BUS_ADDRESS } : {}),
      getPassphrase: async () => {
        if (!passphrase)
          throw new RolehopError(ErrorCodes.VAULT_NO_PASSPHRASE, 'The agent has no vault passphrase', { hint: 'Restart it with `rolehop agent start`.' });
        return passphrase.toString('utf8');
      },
      logger: opts.logger,
    }));
  // Pay the KDF now and fail the start on a wrong passphrase, not on the first request.
  await store.get(CACHE_KEY_ID);

  const pool = new BrokerPool({
    rolehopHome: opts.rolehopHome,
    homeDir: opts.homeDir,
    userName: opts.userName,
    env: opts.env,
    clock,
    logger: opts.logger,
    store,
    passphrase: () => passphrase,
    ...(opts.makeBroker ? { makeBroker: opts.makeBroker } : {}),
  });

  const startedAt = new Date(clock.now()).toISOString();
  let requests = 0;
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const idle = new IdleTimer(
    opts.idleTimeoutMs,
    () => clock.now(),
    () => {
      opts.logger.info('agent: idle timeout reached, stopping');
      stop();
    },
  );
  idle.touch();
  opts.signal.addEventListener('abort', () => stop(), { once: true });

  const status = (): AgentStatus => ({
    pid: process.pid,
    version: AGENT_PROTOCOL_VERSION,
    backend: store.kind,
    startedAt,
    idleTimeoutSeconds: Math.round(opts.idleTimeoutMs / 1000),
    ...(idle.expiresAt !== undefined ? { idleExpiresAt: new Date(idle.expiresAt).toISOString() } : {}),
    requests,
  });
  const operations = new AgentOperations(pool, status);

  const connections = new Set<Socket>();
  const server = createServer((conn) => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    serveConnection(conn, {
      execute: (req, ask) => operations.execute(req, ask),
      received: () => {
        requests++;
        idle.touch();
      },
      settled: () => idle.touch(),
      stop: () => stop(),
      logger: opts.logger,
    });
  });

  // Beyond this, new connections are closed at once: their callers take the normal path.
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      // Nothing unlocked outlives a failed start.
      passphrase?.fill(0);
      pool.clear();
      // Another agent started while this one unlocked the vault: it stays, this one gives way.
      reject(e.code === 'EADDRINUSE' ? new RolehopError(ErrorCodes.AGENT, 'A rolehop agent is already running', { hint: 'Use `rolehop agent status`.' }) : e);
    });
    server.listen(socket, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  // An accept that fails (EMFILE under a flood) costs that caller, not the agent.
  server.on('error', (e: NodeJS.ErrnoException) => opts.logger.warn(`agent: socket error (${e.code ?? e.name})`));
  chmodSync(socket, 0o600);
  opts.logger.info(`agent: listening on ${socket} (pid ${process.pid})`);
  opts.onReady?.({ pid: process.pid, socket });

  await stopped;
  idle.cancel();
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
  pool.clear();
  operations.clear();
  opts.logger.info('agent: stopped');
}

/** Connections served at once; a flood beyond it is refused, not queued. */
const MAX_CONNECTIONS = 256;

/**
 * Removes what a dead agent left at `socket` (only called once nothing
 * answers there). Anything but a socket is not ours to delete.
 */
function removeDeadSocket(socket: string): void {
  let st;
  try {
    st = lstatSync(socket);
  } catch {
    return; // no leftover
  }
  if (!st.isSocket()) {
    throw new RolehopError(ErrorCodes.AGENT, `${socket} exists and is not a socket`, { hint: 'Remove it and run `rolehop agent start` again.' });
  }
  unlinkSync(socket);
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
