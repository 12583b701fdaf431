import type { Attribution, JobContainment } from '../engine/contained-job.js';

/** The process hooks of a `run --job`, and what they saw. */
export interface JobGuard {
  /** Errors that escaped outside any target (so the results cannot show them). */
  readonly unattributed: number;
  /** Puts `process.exit` and the default crash handling back. */
  dispose(): void;
}

/**
 * While `run --job` loads and runs job modules, no job can end or crash the
 * process: `process.exit` throws (failing the calling target with
 * ERR_JOB_EXIT), and an uncaught exception or unhandled rejection fails the
 * target whose code raised it (ERR_JOB_CRASH). One that no running target
 * raised is reported on `warn`, without a stack, and counted. Signals,
 * `process.abort()` and `process.kill(process.pid)` are not intercepted.
 */
export function guardJobs(containment: JobContainment, warn: (message: string) => void): JobGuard {
  const realExit = process.exit;
  let unattributed = 0;
  const onStray = (e: unknown) => report(containment.strayError(e), e);
  const report = (a: Attribution, e: unknown) => {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    if (a.to === 'finished-target') warn(`a job for ${a.target} failed after its target had finished (ignored): ${message}`);
    if (a.to === 'none') {
      unattributed++;
      warn(`an error escaped outside any target (ERR_JOB_CRASH): ${message}`);
    }
  };
  process.exit = ((code?: unknown) => {
    throw containment.exitCalled(code);
  }) as typeof process.exit;
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);
  return {
    get unattributed() {
      return unattributed;
    },
    dispose() {
      process.exit = realExit;
      process.off('uncaughtException', onStray);
      process.off('unhandledRejection', onStray);
    },
  };
}
