import { ErrorCodes, RolehopError } from '../../errors.js';
import { asciiBorderedTable } from './ascii-table.js';

/**
 * Past this many rows a table is written as plain aligned columns instead of
 * a bordered cli-table3 table. cli-table3 lays a table out in super-linear
 * time (about 2 s for 8,000 rows, minutes for 100,000) and in one synchronous
 * call that no signal can interrupt; and nobody reads a framed table that
 * long: plain rows are what `grep`, `less` and `awk` want.
 */
export const BORDERED_ROW_LIMIT = 1_000;

/** Rows written between two turns of the event loop, where Ctrl-C and SIGTERM are seen. */
const CHUNK_ROWS = 2_000;

/** Options of {@link writeTable}. */
export interface TableOptions {
  /** Checked between chunks: an abort rejects with ERR_ABORTED (exit 130). */
  signal?: AbortSignal;
  /** Override of {@link BORDERED_ROW_LIMIT} (tests). */
  borderedRowLimit?: number;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Resolves when `out` has room again, is gone, or `signal` aborts. Waiting
 * for room is what keeps a long table from being queued whole in memory
 * ahead of a slow reader, and a signal during the wait still stops it: a
 * reader that sends SIGTERM after the first lines finds the rest unwritten.
 */
function room(out: NodeJS.WritableStream, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'error']) out.removeListener(event, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) out.once(event, done);
    signal?.addEventListener('abort', done, { once: true });
    if (signal?.aborted) done();
  });
}

/** Writes one chunk of rows, then lets the event loop turn (and waits for room when `out` is full), then checks `signal`. */
async function writeChunk(out: NodeJS.WritableStream, text: string, signal: AbortSignal | undefined): Promise<void> {
  if (out.write(text)) await turn();
  else await room(out, signal);
  checkAborted(signal);
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RolehopError(ErrorCodes.ABORTED, 'Interrupted while printing');
}

/** cli-table3 draws a rule between every two rows, doubling a table's height; these chars drop them all. */
const NO_ROW_RULES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** Puts back the one rule worth its line, under the header, shaped from the top border (header cells are one line). */
function ruleUnderHeader(table: string): string {
  const lines = table.split('\n');
  if (lines.length < 3) return table;
  const rule = lines[0]!.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
  return [lines[0], lines[1], rule, ...lines.slice(2)].join('\n');
}

/** A cell on one line: plain rows never wrap. */
function flat(cell: string): string {
  return cell.includes('\n') ? cell.replace(/\s*\n\s*/g, ' ') : cell;
}

/**
 * Writes a table to `out` in time linear in its size. Up to the bordered
 * limit it is a cli-table3 table with one line per one-line row (no rules
 * between rows), drawn without cli-table3 when it is plain ASCII. Past it, it is a header line and
 * one line per row, columns padded to the widest cell, written in chunks that
 * yield to the event loop and wait while `out` is full, so a signal stops it
 * within one chunk and a slow reader holds it back.
 */
export async function writeTable(out: NodeJS.WritableStream, head: string[], rows: string[][], opts: TableOptions = {}): Promise<void> {
  checkAborted(opts.signal);
  if (rows.length <= (opts.borderedRowLimit ?? BORDERED_ROW_LIMIT)) {
    const ascii = asciiBorderedTable(head, rows);
    if (ascii !== undefined) {
      out.write(`${ruleUnderHeader(ascii)}\n`);
      return;
    }
    const { default: Table } = await import('cli-table3');
    const t = new Table({ head, style: { head: [], border: [] }, chars: NO_ROW_RULES });
    t.push(...rows);
    out.write(`${ruleUnderHeader(t.toString())}\n`);
    return;
  }
  const widths = head.map((h) => h.length);
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    for (const row of rows.slice(start, start + CHUNK_ROWS)) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, flat(c).length)));
    await turn();
    checkAborted(opts.signal);
  }
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? flat(c) : flat(c).padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  out.write(`${line(head)}\n`);
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const lines = rows.slice(start, start + CHUNK_ROWS).map(line);
    await writeChunk(out, `${lines.join('\n')}\n`, opts.signal);
  }
}
