import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../../async/sleep.js';
import { agentStatus, connectAgent } from '../../agent/agent-client.js';
import { DEFAULT_IDLE_TIMEOUT_MS, parseIdleTimeout } from '../../agent/idle-timeout.js';
import { agentPaths, type AgentStatus, type WireError } from '../../agent/protocol.js';
import { ErrorCodes, RolehopError, exitCodeFor, isRolehopError, type ErrorCode } from '../../errors.js';
import type { Logger } from '../../io/context.js';
import type { CliContext, CommandHandler } from '../cli-context.js';
import { keepRunningWhenStdoutCloses } from '../closed-stdout.js';
import { releaseAutostartClaim } from '../agent-autostart.js';
import { spawnAgentDaemon, type DaemonInit } from '../agent-spawn.js';

const START_TIMEOUT_MS = 60_000;

function describe(s: AgentStatus): string {
  const idle = s.idleTimeoutSeconds ? `idle timeout ${s.idleTimeoutSeconds}s, stops at ${s.idleExpiresAt}` : 'no idle timeout';
  return `agent running: pid ${s.pid}, ${s.backend} backend, started ${s.startedAt}, ${idle}, ${s.requests} requests`;
}

/** `rolehop agent start [--idle-timeout 1h]`. */
export const start = (async (cli, _args, opts) => {
  const idleTimeoutMs = opts.idleTimeout === undefined ? DEFAULT_IDLE_TIMEOUT_MS : parseIdleTimeout(opts.idleTimeout);
  const running = await agentStatus(cli.rolehopHome);
  if (running) {
    cli.stdout.write(cli.json ? JSON.stringify({ running: true, alreadyRunning: true, ...running }) + '\n' : `${describe(running)}\n`);
    return 0;
  }
  const store = await cli.store();
  const init: DaemonInit = { backend: store.kind, idleTimeoutMs };
  if (store.kind === 'file') {
    const { fileStoreDir } = await import('../../stores/open-store.js');
    const { VAULT_FILE } = await import('../../stores/file-store.js');
    const dir = fileStoreDir(cli.rolehopHome);
    init.passphrase = await cli.prompter.passphrase({ purpose: existsSync(join(dir, VAULT_FILE)) ? 'unlock' : 'create', path: dir });
  }

  const { child } = spawnAgentDaemon(cli.env, cli.rolehopHome, init, true);
  const ready = await new Promise<{ ok: true; pid: number; socket: string } | { ok: false; error: WireError }>((resolve) => {
    let out = '';
    const timer = setTimeout(() => resolve({ ok: false, error: { code: ErrorCodes.AGENT, message: 'The agent did not start in time' } }), START_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.slice(0, nl)));
      } catch {
        resolve({ ok: false, error: { code: ErrorCodes.AGENT, message: 'The agent answered garbage at start' } });
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve({ ok: false, error: { code: ErrorCodes.AGENT, message: 'The agent exited during start' } });
    });
    child.once('error', () => resolve({ ok: false, error: { code: ErrorCodes.AGENT, message: 'Could not start the agent process' } }));
  });
  child.stdout!.destroy();
  child.unref();
  if (!ready.ok) {
    child.kill();
    throw new RolehopError((ready.error.code as ErrorCode) ?? ErrorCodes.AGENT, ready.error.message, {
      hint: ready.error.hint ?? `See ${agentPaths(cli.rolehopHome).log}.`,
    });
  }
  if (cli.json) cli.stdout.write(JSON.stringify({ running: true, pid: ready.pid, socket: ready.socket, idleTimeoutSeconds: idleTimeoutMs / 1000 }) + '\n');
  else
    cli.stdout.write(
      `agent started: pid ${ready.pid}, socket ${ready.socket}, ${idleTimeoutMs ? `idle timeout ${idleTimeoutMs / 1000}s` : 'no idle timeout'}\n`,
    );
  return 0;
}) satisfies CommandHandler<{ idleTimeout?: string }>;

/** `rolehop agent stop`: idempotent. */
export const stop = (async (cli) => {
  const conn = await connectAgent(cli.rolehopHome, cli.logger);
  if (!conn) {
    cli.stdout.write(cli.json ? '{"running":false,"stopped":false}\n' : 'agent: not running\n');
    return 0;
  }
  const { pid } = (await conn.request('stop')) as { pid: number };
  // Wait until the agent has closed the socket (its keys are wiped before it exits).
  const deadline = Date.now() + 5000;
  while (!conn.closed && Date.now() < deadline) await sleep(20);
  conn.close();
  cli.stdout.write(cli.json ? JSON.stringify({ running: false, stopped: true, pid }) + '\n' : `agent stopped (pid ${pid})\n`);
  return 0;
}) satisfies CommandHandler;

/** `rolehop agent status`: exit 0 when running, 1 when not. */
export const status = (async (cli) => {
  const s = await agentStatus(cli.rolehopHome);
  if (!s) {
    cli.stdout.write(cli.json ? '{"running":false}\n' : 'agent: not running\n');
    return 1;
  }
  cli.stdout.write(cli.json ? JSON.stringify({ running: true, ...s }) + '\n' : `${describe(s)}\n`);
  return 0;
}) satisfies CommandHandler;

/** A logger appending to the agent's 0600 log file (never secrets: only codes and names). */
function fileLogger(path: string): Logger {
  const write = (level: string, m: string) => {
    try {
      appendFileSync(path, `${new Date().toISOString()} ${level} ${m}\n`, { mode: 0o600 });
    } catch {
      // logging must never take the agent down
    }
  };
  return { debug: () => {}, info: (m) => write('info', m), warn: (m) => write('warn', m) };
}

function readInit(stdin: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => reject(new RolehopError(ErrorCodes.AGENT, 'No settings on stdin')), 10_000);
    stdin.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size > 65_536) reject(new RolehopError(ErrorCodes.AGENT, 'Settings too large'));
    });
    stdin.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    stdin.on('error', reject);
  });
}

/** Hidden `rolehop agent serve`: the daemon itself. Reports readiness as one JSON line on stdout. */
export const serve = (async (cli: CliContext) => {
  const out = process.stdout;
  keepRunningWhenStdoutCloses(); // the starter closes its end once we are ready
  const say = (m: unknown) => out.write(JSON.stringify(m) + '\n');
  let raw: Buffer | undefined;
  try {
    raw = await readInit(process.stdin);
    const init = JSON.parse(raw.toString('utf8')) as DaemonInit;
    raw.fill(0);
    const passphrase = init.passphrase !== undefined ? Buffer.from(init.passphrase, 'utf8') : undefined;
    delete init.passphrase;
    const { runAgentDaemon, prepareAgentDir } = await import('../../agent/agent-daemon.js');
    const paths = agentPaths(cli.rolehopHome);
    prepareAgentDir(paths.dir);
    await runAgentDaemon({
      rolehopHome: cli.rolehopHome,
      homeDir: cli.homeDir,
      userName: cli.userName,
      env: cli.env,
      ...(passphrase ? { passphrase } : {}),
      ...(init.backend ? { backend: init.backend } : {}),
      idleTimeoutMs: init.idleTimeoutMs,
      signal: cli.signal,
      logger: fileLogger(paths.log),
      onReady: (info) => {
        releaseAutostartClaim(cli.rolehopHome);
        say({ ok: true, ...info });
      },
    });
    return 0;
  } catch (e) {
    raw?.fill(0);
    releaseAutostartClaim(cli.rolehopHome);
    const r = isRolehopError(e) ? e : new RolehopError(ErrorCodes.AGENT, 'The agent failed to start');
    say({ ok: false, error: { code: r.code, message: r.message, ...(r.hint ? { hint: r.hint } : {}) } });
    return exitCodeFor(r.code);
  }
}) satisfies CommandHandler;
