// What the CLI does when the reader of its stdout (or stderr) goes away, as
// in `rolehop list --json | head -1`. Node ignores SIGPIPE, so a write to a
// closed pipe becomes an EPIPE 'error' event; unhandled, it would kill the
// process with a stack trace. The one handler for every command is here.

/** The exit code of a command whose stdout was closed: 128 + SIGPIPE, as a process killed by SIGPIPE reports. */
export const STDOUT_CLOSED_EXIT = 141;

const CLOSED_CODES = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

let closed = false;
let keepRunning = false;
let note: NodeJS.WritableStream | undefined;

/** True for the error a write to a closed pipe gives. */
export function isClosedPipe(e: unknown): boolean {
  return CLOSED_CODES.has((e as NodeJS.ErrnoException)?.code ?? '');
}

/**
 * Installs the handler on the process's streams once. When stdout's reader
 * goes away, further output is discarded and `endCommand` runs (the CLI
 * aborts its signal, so `run` stops starting targets), unless the command
 * asked to {@link keepRunningWhenStdoutCloses}. A closed stderr is ignored:
 * there is nowhere left to say anything. Any other stream error is rethrown
 * as before.
 */
export function guardOutput(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, endCommand: () => void): void {
  note = stderr;
  stdout.on('error', (e) => {
    if (!isClosedPipe(e)) throw e;
    if (closed) return;
    closed = true;
    if (keepRunning) note?.write('rolehop: stdout was closed; its output is discarded from now on, the server goes on\n');
    else endCommand();
  });
  stderr.on('error', (e) => {
    if (!isClosedPipe(e)) throw e;
  });
}

/**
 * For long-running commands (`server`, the agent daemon): a closed stdout
 * discards output instead of ending the command, because whoever uses the
 * server does not read its stdout, and the server must not die with the
 * reader of its first lines.
 */
export function keepRunningWhenStdoutCloses(): void {
  keepRunning = true;
}

/** True once stdout's reader went away and the command was told to end: its error, if any, is only that, and not worth a word. */
export function endedByClosedStdout(): boolean {
  return closed && !keepRunning;
}

/** The exit code to report: {@link STDOUT_CLOSED_EXIT} once stdout closed and the command ended for it. */
export function exitCodeAfterOutput(code: number, writeFailed = false): number {
  return (closed || writeFailed) && !keepRunning ? STDOUT_CLOSED_EXIT : code;
}
