import { createSharedHandler } from '../../aws/http.js';
import { createSweepPool, DEFAULT_CONCURRENCY, fanOut, type FanOutOptions } from '../../engine/fan-out.js';
import type { FanOutStats, FanOutTarget, Job, TargetResult } from '../../engine/types.js';
import type { CliContext } from '../cli-context.js';
import type { EngineOptions } from './engine-options.js';
import { progressBar } from './progress-bar.js';

/** What {@link streamResults} runs, besides the engine options and the job. */
export interface StreamPlan<T> {
  /**
   * The targets, given the shared engine options: asking the accounts for
   * their regions with them (see `regionTargets`) uses the pool the job
   * then uses, so it is still one AssumeRole per account.
   */
  targets: (shared: FanOutOptions<string[]>) => Promise<FanOutTarget[]> | FanOutTarget[];
  /** Engine options of this command only (`run`'s `--resume` journal and its job's value check). */
  extra?: Pick<FanOutOptions<T>, 'journal' | 'prepareValue'>;
  /**
   * Called with each result as it arrives. A promise it returns is awaited
   * before the next result is asked for (the journal records a result only
   * then).
   */
  onResult: (r: TargetResult<T>) => void | Promise<void>;
  /** Called once when the results stop, however they stop, before the bar is removed. */
  onEnd?: () => void;
  /**
   * Ctrl-C stops launching targets but does not abort running ones: for
   * jobs that change things and watch `cli.signal` themselves, so each
   * finishes the change it is in (a second Ctrl-C still ends the process).
   */
  drain?: boolean;
}

/**
 * Runs `job` on the engine over the plan's targets and hands each result
 * to `plan.onResult` as it finishes, with a progress bar on a terminal
 * (see {@link progressBar}); the bar is gone when this returns or throws.
 * One HTTP handler and one credential pool serve the targets' setup and
 * the job, and the handler is closed at the end. Returns the final stats;
 * why the results stopped (all done, Ctrl-C, stdout closed) is for the
 * caller to ask (see `howItEnded`).
 */
export async function streamResults<T>(cli: CliContext, engine: EngineOptions, job: Job<T>, plan: StreamPlan<T>): Promise<FanOutStats> {
  const handler = createSharedHandler({ maxSockets: Math.max(50, (engine.concurrency ?? DEFAULT_CONCURRENCY) * 2) });
  const shared = { ...engine, pool: createSweepPool(engine, handler), handler };
  try {
    const targets = await plan.targets(shared);
    const bar = await progressBar(cli);
    const { signal, ...rest } = shared;
    const run = fanOut(targets, job, {
      ...rest,
      ...(signal ? (plan.drain ? { drain: signal } : { signal }) : {}),
      // The regions are known by now: nothing else needs an account's credentials after its last target.
      releaseCredentials: true,
      ...plan.extra,
      onStart: (stats) => bar.start(stats),
    });
    // Asking the accounts for their regions entered them already: those
    // AssumeRole calls are this run's too, and the job's then hit the pool.
    run.stats.assumeCalls += shared.pool.assumeCalls;
    try {
      for await (const r of run) {
        const pending = plan.onResult(r);
        if (pending) await pending;
      }
    } finally {
      plan.onEnd?.();
      bar.stop();
    }
    return run.stats;
  } finally {
    handler.close();
  }
}
