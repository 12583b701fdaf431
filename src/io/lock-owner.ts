import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { pidMayRun } from './pid-running.js';

/**
 * Who holds a lock, as recorded in the lock file. `start` (the process start
 * time in clock ticks since boot, /proc/<pid>/stat field 22) and `boot` (the
 * kernel's boot id) exist only on Linux; they tell a reused pid, or a pid
 * from before a reboot, from the process that took the lock. `pidns` (the
 * pid namespace) tells that a pid means the same process to a waiter: a
 * container sharing the home directory and the host name does not see ours.
 */
export interface LockOwner {
  pid: number;
  host: string;
  start?: string;
  boot?: string;
  pidns?: string;
}

/**
 * What a waiter may conclude about a lock's owner:
 * - `dead`: provably gone (no such process, a zombie, a reused pid, another boot);
 * - `running` / `stopped`: a live process on this host (`stopped` = SIGSTOP/Ctrl-Z);
 * - `unknown`: no usable record, another host, or no way to rule out pid reuse.
 */
export type OwnerState = 'dead' | 'running' | 'stopped' | 'unknown';

function readOptional(read: () => string): string | undefined {
  try {
    return read().trim() || undefined;
  } catch {
    return undefined;
  }
}

// Fixed for the life of the process: read once.
let host: { boot: string | undefined; pidns: string | undefined } | undefined;

function thisHost(): { boot: string | undefined; pidns: string | undefined } {
  host ??= {
    boot: readOptional(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
    pidns: readOptional(() => readlinkSync('/proc/self/ns/pid')),
  };
  return host;
}

/** State letter and start time of `pid` from /proc, or undefined where there is no /proc entry to read. */
function procStat(pid: number): { state: string; start: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are
  // counted from the last ')'. After it come field 3 (state) onwards.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const start = rest[19];
  return state && start ? { state, start } : undefined;
}

/** The record this process writes into a lock it takes. */
export function currentOwner(): LockOwner {
  const self = procStat(process.pid);
  const { boot, pidns } = thisHost();
  return { pid: process.pid, host: hostname(), ...(self ? { start: self.start } : {}), ...(boot ? { boot } : {}), ...(pidns ? { pidns } : {}) };
}

/** Parses a lock file's text; undefined when it is not an owner record. */
export function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid <= 0 || typeof o.host !== 'string') return undefined;
    return {
      pid: o.pid,
      host: o.host,
      ...(typeof o.start === 'string' ? { start: o.start } : {}),
      ...(typeof o.boot === 'string' ? { boot: o.boot } : {}),
      ...(typeof o.pidns === 'string' ? { pidns: o.pidns } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Judges an owner record. Never `dead` unless that is proven, because a
 * waiter takes a dead owner's lock over at once; never `running`/`stopped`
 * for another host, whose processes this host cannot see.
 */
export function ownerState(owner: LockOwner | undefined): OwnerState {
  if (!owner || owner.host !== hostname()) return 'unknown';
  const { boot, pidns } = thisHost();
  if (owner.boot && boot && owner.boot !== boot) return 'dead';
  // Another pid namespace: its pids are not ours to look up.
  if (owner.pidns !== pidns) return 'unknown';
  if (!pidMayRun(owner.pid)) return 'dead';
  const stat = procStat(owner.pid);
  // Without /proc (macOS, BSD) a live pid may be a reused one: only mtime
  // staleness can judge such a lock, as before owners were recorded.
  if (!stat || !owner.start) return stat?.state === 'Z' || stat?.state === 'X' ? 'dead' : 'unknown';
  if (stat.start !== owner.start) return 'dead';
  if (stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return 'dead';
  return stat.state === 'T' || stat.state === 't' ? 'stopped' : 'running';
}
