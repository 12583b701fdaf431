import type { FanOutStats } from '../../engine/types.js';
import type { TerminalWriter } from '../terminal-writer.js';

/** A live progress display; stop it before the summary is printed. */
export interface RunProgress {
  stop(): void;
}

/** What a progress display shows of `stats` at `now`: one line, no newline. */
export type ProgressLine = (stats: FanOutStats, now: number) => string;

const BAR_WIDTH = 30;

/** "12s", "3m 05s", "1h 02m"; "--" while there is no rate to tell from. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The status line for `stats` at `now`: bar, done/total, rate, ETA, retries, failures. */
export function progressLine(stats: FanOutStats, now: number): string {
  const secs = (now - stats.startedAt) / 1000;
  const rate = secs > 0 ? stats.done / secs : 0;
  const total = Math.max(stats.total, 1);
  const filled = Math.min(BAR_WIDTH, Math.round((stats.done / total) * BAR_WIDTH));
  const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
  // Before the first result there is no rate, so no honest estimate either.
  const eta = stats.done > 0 && rate > 0 ? formatEta((stats.total - stats.done) / rate) : '--';
  return ` ${bar} ${stats.done}/${stats.total} | ${rate.toFixed(1)}/s | ETA ${eta} | retries ${stats.retries} | failed ${stats.failed}`;
}

/**
 * A progress bar as the status line of `screen` (a terminal's stderr),
 * redrawn 4 times a second from the live stats: {@link progressLine}, or
 * `line` for another phase (asking the accounts for their regions). Results
 * are printed through the same writer, above it; `stop` removes it.
 */
export function startProgress(screen: TerminalWriter, stats: FanOutStats, now: () => number = Date.now, line: ProgressLine = progressLine): RunProgress {
  const draw = () => screen.setStatus(line(stats, now()));
  draw();
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      screen.setStatus(undefined);
    },
  };
}
