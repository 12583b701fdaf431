// Runs store-child.ts in separate processes. It is bundled once per test
// file with esbuild into a plain CommonJS file, so each child starts in tens
// of milliseconds (tsx would cost ~0.4 s each, too slow for 20 children).
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let bundled: Promise<string> | undefined;
let buildDir: string | undefined;

/** Path of the bundled child script (built on first call). */
export function childScript(): Promise<string> {
  bundled ??= (async () => {
    buildDir = mkdtempSync(join(tmpdir(), 'rolehop-store-child-'));
    const outfile = join(buildDir, 'store-child.cjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./store-child.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled;
}

/** Removes the bundle directory. */
export function cleanupChildScript(): void {
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
}

/** A running child with its stdout collected line by line. */
export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the exit code (null when killed) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Resolves when a stdout line satisfies `pred`. */
  waitForLine(pred: (line: string) => boolean): Promise<string>;
}

/** Starts the child script with `args` (and extra environment variables). */
export async function startChild(args: string[], env: Record<string, string> = {}): Promise<Child> {
  const proc = spawn(process.execPath, [await childScript(), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines: string[] = [];
  const waiters: Array<{ pred: (l: string) => boolean; resolve: (l: string) => void }> = [];
  let buf = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.pred(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    proc,
    lines,
    exited,
    waitForLine(pred) {
      const hit = lines.find(pred);
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

/** Spins for `ms` without yielding: a pause point finer than a timer. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

/**
 * Stops `child` (SIGSTOP) a random 0-3 ms after `lockPath` appears, and
 * resolves whether it was stopped while the lock still existed, so inside
 * (or just around) its critical section. The caller must SIGCONT it.
 */
export async function stopInsideLock(child: Child, lockPath: string): Promise<boolean> {
  while (!existsSync(lockPath) && child.proc.exitCode === null) await new Promise((r) => setImmediate(r));
  spin(Math.random() * 3);
  child.proc.kill('SIGSTOP');
  return existsSync(lockPath);
}

/**
 * Starts the child with `args` so that it stops itself (SIGSTOP) right after
 * its first read-modify-write read its files under the lock, and resolves
 * once the kernel reports it stopped. Deterministic, unlike a signal sent
 * from here a few ms in, which on a loaded machine can land after the
 * child's check and before its rename: the one window no check can close.
 * The caller must SIGCONT it.
 */
export async function startStoppedAfterRead(args: string[]): Promise<Child> {
  const child = await startChild(args, { ROLEHOP_TEST_STOP_AFTER_READ: '1' });
  const statPath = `/proc/${child.proc.pid}/stat`;
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`the child exited before it stopped: ${(await child.exited).stderr}`);
    // Field 3, after the command name in parentheses, is the state; T = stopped.
    const stat = existsSync(statPath) ? readFileSync(statPath, 'utf8') : '';
    if (/\) T /.test(stat)) return child;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Rewrites a held lock so another process may take it over: an owner on
 * another host (as in a shared home), unrefreshed for a minute. The inode
 * stays, so its stopped holder still believes it holds it.
 */
export function makeLockTakeoverable(lockPath: string): void {
  writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'another-host.invalid' }));
  const old = new Date(Date.now() - 60_000);
  utimesSync(lockPath, old, old);
}
