import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import type { Socket } from 'node:net';

/**
 * Why a file was refused by {@link readRegularFileSync}: `not-regular` (a
 * FIFO, device, socket or directory) or `too-large` (more than the cap).
 */
export type RefusedReason = 'not-regular' | 'too-large';

/** Thrown by {@link readRegularFileSync}; callers turn it into their own RolehopError, naming the file. */
export class RefusedFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: RefusedReason,
    /** What the file is (`a FIFO`, `a directory`...) or its size limit, for messages. */
    readonly what: string,
  ) {
    super(reason === 'not-regular' ? `${path} is ${what}, not a regular file` : `${path} is larger than ${what}`);
    this.name = 'RefusedFileError';
  }
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer,
// with the event loop blocked, so not even SIGTERM handlers could run. It
// changes nothing for a regular file. O_NOCTTY: a terminal device must
// never become our controlling terminal just by being named. Both are 0 on
// Windows, where the open cannot block like this.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** `n` bytes as a short human size (`8 MiB`, `512 KiB`). */
export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}

/**
 * Reads a whole regular file as UTF-8, refusing anything else before a
 * single byte is read, and never reading more than `maxBytes` (+1 to notice).
 *
 * Contract:
 * - resolves `undefined` when the path does not exist (ENOENT);
 * - throws {@link RefusedFileError} for a FIFO, device, socket or directory
 *   (checked with fstat on the opened descriptor, so no swap between a stat
 *   and the open can slip one in) and for a file larger than `maxBytes`;
 *   the check never blocks: the open is non-blocking;
 * - rethrows any other fs error (EACCES, ELOOP...) as it is.
 *
 * Synchronous on purpose: every caller reads a small file, and the
 * credential_process hot path reads the config and the index through here
 * with nothing but `node:fs` loaded.
 */
export function readRegularFileSync(path: string, maxBytes: number): string | undefined {
  return readRegularFileBytesSync(path, maxBytes)?.toString('utf8');
}

/** {@link readRegularFileSync} as bytes, for callers that compare what they read byte for byte. */
export function readRegularFileBytesSync(path: string, maxBytes: number): Buffer | undefined {
  const fd = openNonBlocking(path);
  if (fd === undefined) return undefined;
  try {
    return readRegularFd(fd, fstatSync(fd), path, maxBytes);
  } finally {
    closeSync(fd);
  }
}

/** Opens for reading without ever blocking; undefined on ENOENT. */
function openNonBlocking(path: string): number | undefined {
  try {
    return openSync(path, OPEN_FLAGS);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function readRegularFd(fd: number, st: Stats, path: string, maxBytes: number): Buffer {
  if (!st.isFile()) throw new RefusedFileError(path, 'not-regular', kindOf(st));
  if (st.size > maxBytes) throw new RefusedFileError(path, 'too-large', formatBytes(maxBytes));
  // The size can change after fstat (a file still being written, or /proc
  // files that report 0): read until EOF, but never past the cap.
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1 - total, Math.max(st.size + 1 - total, 64 * 1024)));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw new RefusedFileError(path, 'too-large', formatBytes(maxBytes));
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

/**
 * Like {@link readRegularFileSync}, but also reads a pipe (a FIFO, or the
 * `/dev/fd/N` of a shell's `<(command)`) to its end, for files a user may
 * well produce with a command (`--accounts-file <(...)`). The same cap
 * applies; devices, sockets and directories are still refused.
 *
 * The pipe is read through the event loop (a `net.Socket` over the
 * non-blocking descriptor), never by a blocking read in libuv's thread
 * pool: a thread stuck there would keep even `process.exit` from
 * finishing. When `signal` aborts, rejects at once with `signal.reason` and
 * closes the pipe, so Ctrl-C and SIGTERM end the wait for a writer.
 */
export async function readFileOrPipe(path: string, maxBytes: number, signal?: AbortSignal): Promise<string | undefined> {
  signal?.throwIfAborted();
  const fd = openNonBlocking(path);
  if (fd === undefined) return undefined;
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  if (!st.isFIFO()) {
    try {
      return readRegularFd(fd, st, path, maxBytes).toString('utf8');
    } finally {
      closeSync(fd);
    }
  }
  const net = await import('node:net');
  return readPipe(new net.Socket({ fd, readable: true, writable: false }), path, maxBytes, signal);
}

function readPipe(pipe: Socket, path: string, maxBytes: number, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (settle: () => void): void => {
      signal?.removeEventListener('abort', onAbort);
      pipe.destroy();
      settle();
    };
    const onAbort = (): void => done(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    pipe.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) return done(() => reject(new RefusedFileError(path, 'too-large', formatBytes(maxBytes))));
      chunks.push(chunk);
    });
    pipe.once('end', () => done(() => resolve(Buffer.concat(chunks, total).toString('utf8'))));
    pipe.once('error', (e) => done(() => reject(e)));
  });
}

/**
 * What is wrong with `path` as a file that something else will read (for
 * example `import()` of a job module, or the AWS SDK reading the shared
 * credentials file), phrased to follow "PATH is": `a FIFO (named pipe), not
 * a regular file`, `larger than 8 MiB`... or undefined for a regular file
 * within `maxBytes`. A missing or
 * unreadable path is left to that reader to report. Only stats, so it never
 * blocks.
 */
export function notRegularFile(path: string, maxBytes = Infinity): string | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return `${kindOf(st)}, not a regular file`;
  return st.size > maxBytes ? `larger than ${formatBytes(maxBytes)}` : undefined;
}
