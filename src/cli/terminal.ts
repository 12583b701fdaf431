import { closeSync, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';

/**
 * The controlling terminal, opened directly so prompts work even when
 * stdout/stderr are pipes (as under credential_process, which captures
 * both). Undefined when the process has no terminal (CI, cron, setsid).
 */
export function openTerminal(): { input: ReadStream; output: WriteStream; close(): void } | undefined {
  let rfd: number;
  let wfd: number;
  try {
    rfd = openSync('/dev/tty', 'r');
    wfd = openSync('/dev/tty', 'w');
  } catch {
    return undefined;
  }
  const input = new ReadStream(rfd);
  const output = new WriteStream(wfd);
  return {
    input,
    output,
    close() {
      input.destroy();
      output.destroy();
      for (const fd of [rfd, wfd]) {
        try {
          closeSync(fd);
        } catch {
          // already closed by the stream
        }
      }
    },
  };
}
