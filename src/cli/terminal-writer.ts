/** The erase sequence: back to column 1, then clear the whole line. */
const CLEAR_LINE = '\r\x1b[2K';

/** The two output streams of the CLI and whether each is a terminal. */
export interface TerminalStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  tty: { stdout: boolean; stderr: boolean };
}

/**
 * The one place that draws a status line (a progress bar) on a terminal's
 * stderr and keeps every other write from erasing it or being erased by it.
 *
 * The status line is the last line of the screen, without a newline. Any
 * text written while it is drawn goes through {@link out} or {@link err}:
 * the status line is cleared, the text written (it scrolls up and stays),
 * and the status line drawn again below it. Prompts call {@link pause}
 * before asking and {@link resume} after, so a question never shares a line
 * with the bar. Writes to a stdout that is not a terminal never touch the
 * status line: they do not reach the screen.
 *
 * Relies on writes to a terminal being synchronous in Node (they are for TTY
 * streams on POSIX), so a clear on stderr lands before a line on stdout.
 */
export class TerminalWriter {
  private status: string | undefined;
  private drawn = false;
  private pauses = 0;

  constructor(private readonly streams: TerminalStreams) {}

  /** Whether a status line can be shown at all (stderr is a terminal). */
  get canShowStatus(): boolean {
    return this.streams.tty.stderr;
  }

  /** Writes `text` to stdout, above the status line when both are on the terminal. */
  out(text: string): void {
    if (!text) return;
    if (!this.streams.tty.stdout) {
      this.streams.stdout.write(text);
      return;
    }
    this.around((t) => this.streams.stdout.write(t), text);
  }

  /** Writes `text` to stderr above the status line. */
  err(text: string): void {
    if (!text) return;
    this.around((t) => this.streams.stderr.write(t), text);
  }

  /** Shows `text` as the status line (cut to the terminal's width), or removes it with undefined. */
  setStatus(text: string | undefined): void {
    this.status = text === undefined ? undefined : this.fit(text);
    if (this.status === undefined) this.clear();
    else this.draw();
  }

  /** Removes the status line until the matching {@link resume}; nestable. */
  pause(): void {
    this.pauses++;
    this.clear();
  }

  /** Draws the status line again after a {@link pause}. */
  resume(): void {
    if (this.pauses > 0) this.pauses--;
    this.draw();
  }

  private around(write: (text: string) => void, text: string): void {
    const shown = this.drawn;
    if (!shown) return write(text);
    this.clear();
    // A line left open would be erased by the next clear of the status line.
    write(text.endsWith('\n') ? text : `${text}\n`);
    this.draw();
  }

  private clear(): void {
    if (!this.drawn) return;
    this.streams.stderr.write(CLEAR_LINE);
    this.drawn = false;
  }

  private draw(): void {
    if (this.status === undefined || this.pauses > 0 || !this.canShowStatus) return;
    this.streams.stderr.write(`${CLEAR_LINE}${this.status}`);
    this.drawn = true;
  }

  /** A line longer than the terminal would wrap, and the clear would erase only its last row. */
  private fit(text: string): string {
    const cols = (this.streams.stderr as { columns?: number }).columns;
    const max = cols && cols > 1 ? cols - 1 : 79;
    const chars = [...text];
    return chars.length > max ? chars.slice(0, max).join('') : text;
  }
}
