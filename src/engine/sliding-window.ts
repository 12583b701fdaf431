/** Options of {@link slidingWindow}. */
export interface WindowOptions<R> {
  /** Units in flight at once (at least 1). */
  concurrency: number;
  /** Once aborted, no further unit is launched. */
  signal: AbortSignal;
  /** Called as each unit is launched. */
  onLaunch: () => void;
  /** Called as each unit settles, in completion order, before its result is queued. */
  onSettle: (result: R) => void;
  /**
   * Called when the consumer leaves before every unit has run (break, or
   * the signal): it must make running units settle promptly. The window then
   * waits for them, so `onSettle` sees every launched unit.
   */
  stopUnits: () => void;
}

/**
 * Runs `run` over `units`, `concurrency` at a time in a sliding window (a
 * finished unit makes room for the next; no batch barriers), and yields the
 * results in completion order. `run` must not reject: failures are results.
 */
export async function* slidingWindow<U, R>(units: readonly U[], run: (unit: U) => Promise<R>, opts: WindowOptions<R>): AsyncGenerator<R> {
  const ready: R[] = [];
  let wake: (() => void) | undefined;
  let next = 0;
  let running = 0;
  const settle = (r: R) => {
    running--;
    ready.push(r);
    opts.onSettle(r);
    launch();
    wake?.();
  };
  const launch = () => {
    while (running < opts.concurrency && next < units.length && !opts.signal.aborted) {
      const u = units[next++]!;
      running++;
      opts.onLaunch();
      void run(u).then(settle);
    }
  };
  const settled = () => new Promise<void>((r) => (wake = r)).then(() => (wake = undefined));

  try {
    launch();
    while (running > 0 || ready.length > 0) {
      if (ready.length) {
        yield ready.shift()!;
        continue;
      }
      await settled();
    }
  } finally {
    if (running > 0 || next < units.length) {
      opts.stopUnits();
      // Running units settle promptly (they race the abort); wait so onSettle (the journal) gets them.
      while (running > 0) await settled();
    }
  }
}
