// Starts a private moto server (the AWS stand-in for integration tests) on a
// free 127.0.0.1 port and guarantees it dies with the test process.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { before, after } from 'node:test';

/** A running moto server owned by the calling test process. */
export interface MotoServer {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  url: string;
  port: number;
  /** Forgets all state (users, roles, sessions, organizations): `POST /moto-api/reset`. */
  reset(): Promise<void>;
  /** Stops the server (SIGTERM, SIGKILL after 3 s) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options for {@link startMoto}. */
export interface StartMotoOptions {
  /** Extra environment for the server, e.g. `{ MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' }`. */
  env?: Record<string, string>;
  /** Python interpreter; defaults to `python3`. */
  python?: string;
  /** How long to wait for the server to answer; defaults to 20 s. */
  startTimeoutMs?: number;
}

// The server is started through a tiny wrapper so it also dies when this
// process is killed hard (SIGKILL, test-runner timeout) and no 'exit'
// handler runs: PR_SET_PDEATHSIG asks Linux to kill it with its parent.
const WRAPPER = [
  'import os, sys',
  'try:',
  '    import ctypes, signal',
  '    ctypes.CDLL(None).prctl(1, signal.SIGKILL)',
  'except Exception:',
  '    pass',
  // The parent may already be gone between fork and prctl.
  'if os.getppid() != int(sys.argv[1]):',
  '    sys.exit(0)',
  'from moto.server import main',
  'main(sys.argv[2:])',
].join('\n');

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Safety net for tests that forget stop(): synchronous kill on normal exit.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/**
 * Starts `python3 -m moto.server -H 127.0.0.1 -p 0`, reads the chosen port
 * from its stderr and resolves once it answers HTTP. Rejects (and kills the
 * process) if it exits early or does not answer within `startTimeoutMs`.
 * The server is killed on {@link MotoServer.stop}, on process exit, and by
 * the kernel if this process dies.
 */
export async function startMoto(opts: StartMotoOptions = {}): Promise<MotoServer> {
  installExitHook();
  const child = spawn(opts.python ?? 'python3', ['-c', WRAPPER, String(process.pid), '-H', '127.0.0.1', '-p', '0'], {
    env: { ...process.env, PYTHONUNBUFFERED: '1', ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));

  // Werkzeug logs every request to stderr: keep draining it forever or the
  // pipe fills and the server blocks. Keep a short tail for error messages.
  let tail = '';
  child.stderr!.setEncoding('utf8');
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`moto did not start within ${opts.startTimeoutMs ?? 20_000} ms:\n${tail}`)), opts.startTimeoutMs ?? 20_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const onError = (e: Error) => fail(new Error(`cannot start moto (${e.message}); run scripts/setup.sh`));
    const onExit = (code: number | null) => fail(new Error(`moto exited with code ${code} before listening:\n${tail}`));
    child.once('error', onError);
    child.once('exit', onExit);
    child.stderr!.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(tail);
      if (m) {
        clearTimeout(timer);
        child.off('error', onError);
        child.off('exit', onExit);
        resolve(Number(m[1]));
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + (opts.startTimeoutMs ?? 20_000);
  for (;;) {
    try {
      await httpCall('GET', `${url}/`);
      break;
    } catch (e) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`moto on ${url} does not answer: ${(e as Error).message}\n${tail}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    async reset() {
      const status = await httpCall('POST', `${url}/moto-api/reset`);
      if (status !== 200) throw new Error(`moto reset answered HTTP ${status}`);
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/**
 * Registers node:test `before`/`after` hooks in the enclosing `describe` (or
 * file) that start one moto server and stop it afterwards. Call it
 * synchronously while the suite is being defined; read the server through the
 * returned getter inside tests (it throws before `before` has run).
 */
export function withMoto(opts: StartMotoOptions = {}): () => MotoServer {
  let server: MotoServer | undefined;
  before(async () => {
    server = await startMoto(opts);
  });
  after(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('withMoto: server not started yet (use it inside a test or a later hook)');
    return server;
  };
}

function httpCall(method: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { connection: 'close' }, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
