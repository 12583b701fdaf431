import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { readRegularFileSync, RefusedFileError } from '../io/read-regular-file.js';

/** About 3 million entries of ~80 bytes: far more units than one sweep runs. */
const MAX_JOURNAL_BYTES = 256 << 20;
import { dirname } from 'node:path';
import { ErrorCodes, RolehopError } from '../errors.js';

/** The identity of one unit of work. */
export const unitKey = (account: string, region: string): string => `${account}/${region}`;

/** One journal line. */
export interface JournalEntry {
  account: string;
  region: string;
  ok: boolean;
  at: string;
}

/**
 * Units already done in a resume journal (NDJSON, one {@link JournalEntry}
 * a line). Only successful units count as done: failed ones run again. A
 * missing file is an empty journal; a torn last line (crash mid-append) is
 * ignored.
 */
export async function readJournal(path: string): Promise<Set<string>> {
  let text: string | undefined;
  try {
    text = readRegularFileSync(path, MAX_JOURNAL_BYTES);
  } catch (e) {
    const why = e instanceof RefusedFileError ? `: ${e.message}` : '';
    throw new RolehopError(ErrorCodes.USAGE, `Cannot read the resume journal ${path}${why}`, {
      cause: e,
      hint: 'Give --resume a regular file (a new path starts a new journal).',
    });
  }
  if (text === undefined) return new Set();
  const done = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as Partial<JournalEntry>;
      if (typeof e.account !== 'string' || typeof e.region !== 'string') continue;
      const key = unitKey(e.account, e.region);
      if (e.ok) done.add(key);
      else done.delete(key);
    } catch {
      // torn line
    }
  }
  return done;
}

/**
 * Append-only journal writer. Each line is written with one `write` on an
 * O_APPEND descriptor so lines never interleave; file 0600 in a 0700 dir.
 */
export class JournalWriter {
  private constructor(private readonly fh: FileHandle) {}
  private chain: Promise<unknown> = Promise.resolve();

  /** Opens (creating) the journal at `path`. */
  static async open(path: string): Promise<JournalWriter> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    return new JournalWriter(await open(path, 'a', 0o600));
  }

  /** Records a finished unit. */
  record(entry: JournalEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const p = this.chain.then(() => this.fh.write(line));
    this.chain = p.catch(() => {});
    return p.then(() => {});
  }

  /** Flushes to disk and closes. */
  async close(): Promise<void> {
    await this.chain;
    await this.fh.sync().catch(() => {});
    await this.fh.close();
  }
}
