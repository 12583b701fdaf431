/**
 * False only when `pid` certainly runs no process in this pid namespace
 * (ESRCH). EPERM means it runs as another user; any other error is not
 * proof of death either, and every caller (lock takeover, orphan sweeps)
 * must err towards "still running".
 */
export function pidMayRun(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
