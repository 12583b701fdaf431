// A throw-away local user, for tests that prove another user cannot get in:
// created with useradd when the tests run as root, removed afterwards (and at
// exit, in case a test dies first). Without root there is no second user:
// callers skip with the message in `secondUserUnavailable`.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** How a command run as the second user ended. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A local user other than the one running the tests. */
export interface SecondUser {
  name: string;
  uid: number;
  gid: number;
  /**
   * Runs `cmd args` as this user (no shell, cwd `/`), with a minimal
   * environment plus `env`; killed after `timeoutMs` (default 20 s). Async,
   * so a server in the test process keeps answering meanwhile.
   */
  run(cmd: string, args: readonly string[], opts?: { env?: Record<string, string>; timeoutMs?: number }): Promise<RunResult>;
  /** Deletes the user. Safe to call twice. */
  remove(): void;
}

/** Why no second user can be made here, or undefined when one can. */
export function secondUserUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'second-user tests need Linux (useradd)';
  if (process.getuid?.() !== 0) return 'second-user tests need root to create a throw-away user: SKIPPED, run the suite as root to prove this guard';
  if (spawnSync('useradd', ['--help'], { stdio: 'ignore' }).error) return 'second-user tests need useradd: SKIPPED';
  return undefined;
}

const made = new Set<string>();
let exitHook = false;

function userdel(name: string): void {
  spawnSync('userdel', [name], { stdio: 'ignore' });
  made.delete(name);
}

/**
 * Creates a throw-away user `rolehop-t-XXXXXX` (no home, no login shell).
 * Throws when {@link secondUserUnavailable} says one cannot be made.
 */
export function makeSecondUser(): SecondUser {
  const why = secondUserUnavailable();
  if (why) throw new Error(why);
  const name = `rolehop-t-${randomBytes(3).toString('hex')}`;
  const add = spawnSync('useradd', ['-M', '-s', '/usr/sbin/nologin', name], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`useradd failed: ${add.stderr}`);
  made.add(name);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const n of made) userdel(n);
    });
  }
  const id = (flag: string) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  return {
    name,
    uid,
    gid,
    run(cmd, args, opts = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(cmd, [...args], {
          uid,
          gid,
          cwd: '/',
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', ...opts.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
        child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
        const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
        child.once('error', reject);
        child.once('close', (status) => {
          clearTimeout(timer);
          resolve({ status, stdout, stderr });
        });
      });
    },
    remove: () => userdel(name),
  };
}
