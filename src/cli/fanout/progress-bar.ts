import type { FanOutStats } from '../../engine/types.js';
import type { CliContext } from '../cli-context.js';
import type { ProgressLine, RunProgress } from '../output/run-progress.js';

/** A fan-out's progress bar, which may never be drawn: `start` is the engine's `onStart`, `stop` comes before the summary. */
export interface ProgressBar {
  /** Draws the bar for `stats` (the engine's live counters) if it is to be shown and there is a target. */
  start(stats: FanOutStats): void;
  /** Removes the bar if drawn; safe to call again, or without `start`. */
  stop(): void;
}

/**
 * The progress bar of `run` and the sweeps, as the status line of a
 * terminal's stderr. It is for a person watching: with `--json` the output
 * is for a program and no bar is drawn, nor when stderr is not a terminal.
 * The drawing code is loaded only when the bar may be drawn. `line` is what
 * it shows (default the run's bar, `progressLine`).
 */
export async function progressBar(cli: Pick<CliContext, 'screen' | 'json'>, line?: ProgressLine): Promise<ProgressBar> {
  const show = cli.screen.canShowStatus && !cli.json;
  const { startProgress } = show ? await import('../output/run-progress.js') : { startProgress: undefined };
  let drawn: RunProgress | undefined;
  return {
    start(stats) {
      if (startProgress && stats.total > 0) drawn = startProgress(cli.screen, stats, Date.now, line);
    },
    stop() {
      drawn?.stop();
    },
  };
}
