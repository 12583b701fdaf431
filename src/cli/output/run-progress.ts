import type { FanOutStats } from '../../engine/types.js';

/** A live progress display on stderr; `log` prints above it. */
export interface RunProgress {
  log(text: string): void;
  stop(): void;
}

/**
 * A cli-progress bar on a terminal's stderr: done/total, rate, ETA, retries
 * and failures, redrawn 4 times a second from the live stats. Only built
 * when stderr is a TTY; callers print nothing of it otherwise.
 */
export async function startProgress(stderr: NodeJS.WritableStream, stats: FanOutStats): Promise<RunProgress> {
  const { default: progress } = await import('cli-progress');
  const multi = new progress.MultiBar(
    {
      stream: stderr as NodeJS.WriteStream,
      format: ' {bar} {value}/{total} | {rate}/s | ETA {eta_formatted} | retries {retries} | failed {failed}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 4,
      etaBuffer: 50,
    },
    progress.Presets.shades_classic,
  );
  const payload = () => {
    const secs = (Date.now() - stats.startedAt) / 1000;
    return { rate: secs > 0 ? (stats.done / secs).toFixed(1) : '0', retries: stats.retries, failed: stats.failed };
  };
  const bar = multi.create(stats.total, 0, payload());
  const timer = setInterval(() => bar.update(stats.done, payload()), 250);
  return {
    log(text) {
      multi.log(text.endsWith('\n') ? text : `${text}\n`);
    },
    stop() {
      clearInterval(timer);
      bar.update(stats.done, payload());
      multi.stop();
    },
  };
}
