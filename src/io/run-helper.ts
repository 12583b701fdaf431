import { spawn, type ChildProcess } from 'node:child_process';
import { sleep } from '../async/sleep.js';
import { ErrorCodes, RolehopError, type ErrorCode } from '../errors.js';

/** What a helper's stdout may hold before it is cut off: far above any credential document or code. */
export const HELPER_MAX_STDOUT_BYTES = 1024 * 1024;

/** How long stdout may stay open after the helper itself exited (a forked grandchild holding it). */
const STDOUT_GRACE_MS = 500;

/** How long a stopped helper group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2_000;

/** How often a stopped group is checked for survivors. */
const GROUP_POLL_MS = 50;

/** Who a helper is, for its error messages. Never holds secrets. */
export interface HelperLabel {
  /** The config key that names the command, e.g. `credential_process`. */
  key: string;
  /** The profile whose key it is. */
  profile: string;
  /** The error code of every failure of this helper. */
  code: ErrorCode;
  /** What a working helper does, told in every failure's hint. */
  hint: string;
  /** The environment variable that sets this helper's timeout, named in the timeout's hint. */
  timeoutVariable: string;
}

/** Options of {@link runHelper}. */
export interface HelperOptions {
  /** A shell command line, run by `/bin/sh` as the SDKs run `credential_process`. */
  command: string;
  /** The helper's complete environment. */
  env: Readonly<Record<string, string | undefined>>;
  label: HelperLabel;
  /** The helper and everything it started are stopped after this long. */
  timeoutMs: number;
  /** stdout beyond this many bytes fails the helper; default {@link HELPER_MAX_STDOUT_BYTES}. */
  maxStdoutBytes?: number;
  /** Aborting stops the helper's group and rejects with ERR_ABORTED. */
  signal?: AbortSignal;
}

/**
 * The first word of a command line, for messages: leading `NAME=value`
 * assignments are skipped, since their values may be secrets.
 */
export function commandName(command: string): string {
  const words = command.trim().split(/\s+/);
  const word = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? '';
  const bare = word.replace(/^['"]|['"]$/g, '');
  return bare.length > 60 ? `${bare.slice(0, 57)}...` : bare || '(empty)';
}

/**
 * Stops a helper's process group: SIGTERM, then SIGKILL to whatever is left
 * after a grace. Resolves when the group is gone or SIGKILL was sent, so a
 * caller that exits next does not leave a survivor behind.
 */
export async function stopGroup(pid: number, graceMs = KILL_GRACE_MS): Promise<void> {
  if (!signalGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(GROUP_POLL_MS);
    if (!signalGroup(pid, 0)) return;
  }
  signalGroup(pid, 'SIGKILL');
}

/** Signals every process of the group; false when none is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function failure(label: HelperLabel, command: string, why: string, hint = label.hint): RolehopError {
  return new RolehopError(label.code, `${label.key} of profile "${label.profile}" (${commandName(command)}) ${why}`, {
    hint,
    details: { helper: label.key, profile: label.profile },
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Runs a helper command and resolves with its stdout (UTF-8) when it exits 0.
 *
 * Contract:
 * - the helper runs in a process group of its own (a new session, so it has
 *   no controlling terminal; stdin and stderr are inherited, so it can still
 *   talk to the user), and every way it can fail stops that whole group;
 * - the promise always settles: on exit; on the timeout; on abort; when
 *   stdout grows past the bound; and, when the helper exited but a process
 *   it started keeps stdout open, a short grace later (the output read so far
 *   is used and that process's group is stopped);
 * - a failure is a RolehopError with the label's code, naming the helper's
 *   key, profile and the command's first word, never its output.
 */
export function runHelper(opts: HelperOptions): Promise<string> {
  const { command, label } = opts;
  const max = opts.maxStdoutBytes ?? HELPER_MAX_STDOUT_BYTES;
  if (opts.signal?.aborted) return Promise.reject(new RolehopError(ErrorCodes.ABORTED, `Interrupted before ${label.key} ran`));
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(command, { shell: true, detached: true, env: opts.env, stdio: ['inherit', 'pipe', 'inherit'] });
    } catch {
      return reject(failure(label, command, 'could not be started'));
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let stdoutClosed = false;

    const cleanup = () => {
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      child.stdout?.removeAllListeners('data');
      child.stdout?.destroy();
    };
    /** Stops the group first, so nothing the helper started outlives the answer. */
    const stopThen = (settle: () => void) => {
      cleanup();
      const pid = child.pid;
      if (pid === undefined) return settle();
      void stopGroup(pid).then(settle);
    };
    const finish = () => {
      if (settled || !exit) return;
      cleanup();
      if (exit.code === 0) return resolve(Buffer.concat(chunks).toString('utf8'));
      if (exit.signal) return reject(failure(label, command, `was stopped by ${exit.signal}`));
      const notFound = exit.code === 127 ? ' (command not found?)' : '';
      reject(failure(label, command, `exited with status ${exit.code}${notFound}`));
    };

    const timer = setTimeout(() => {
      stopThen(() =>
        reject(
          failure(
            label,
            command,
            `did not finish within ${seconds(opts.timeoutMs)}; rolehop stopped it and every process it started`,
            `Run the command by hand to see where it waits. If it needs longer, set ${label.timeoutVariable} (seconds).`,
          ),
        ),
      );
    }, opts.timeoutMs);
    const onAbort = () => stopThen(() => reject(new RolehopError(ErrorCodes.ABORTED, `Interrupted while ${label.key} of profile "${label.profile}" ran`)));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout!.on('data', (d: Buffer) => {
      bytes += d.length;
      if (bytes > max) {
        stopThen(() => reject(failure(label, command, `printed more than ${Math.floor(max / 1024)} KiB on stdout; rolehop stopped it`)));
        return;
      }
      chunks.push(d);
    });
    child.stdout!.on('error', () => {
      // A destroyed or broken pipe ends the read; the exit decides the outcome.
    });
    child.stdout!.on('close', () => {
      stdoutClosed = true;
      finish();
    });
    child.once('error', () => {
      if (!settled) stopThen(() => reject(failure(label, command, 'could not be started')));
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      if (settled || stdoutClosed) return finish();
      // A grandchild may hold stdout open for as long as it lives: do not wait for it.
      graceTimer = setTimeout(() => {
        if (settled) return;
        const pid = child.pid!;
        finish();
        void stopGroup(pid);
      }, STDOUT_GRACE_MS);
    });
  });
}
