// Runs a command on a pseudo-terminal through python3's `pty` module and
// returns everything it drew, as a user's terminal would have received it.
import { spawn, spawnSync } from 'node:child_process';

/** Whether python3 (with its standard `pty` module) can run here. */
export const hasPythonPty = spawnSync('python3', ['-c', 'import pty, termios, fcntl']).status === 0;

// With capture on, the child's stdout is a pipe (as under `$(...)`), copied
// to the driver's fd 3; stdin and stderr stay on the pty.
const DRIVER = String.raw`
import fcntl, json, os, pty, select, struct, sys, termios
cols, rows, answers, capture, argv = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4] == '1', sys.argv[5:]
if capture:
    pr, pw = os.pipe()
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    if capture:
        os.dup2(pw, 1)
        os.close(pr)
        os.close(pw)
    os.execvp(argv[0], argv)
open_fds = [fd]
if capture:
    os.close(pw)
    open_fds.append(pr)
    captured = os.fdopen(3, 'wb')
seen = b''
out = sys.stdout.buffer
while fd in open_fds:
    ready, _, _ = select.select(open_fds, [], [])
    for f in ready:
        try:
            chunk = os.read(f, 65536)
        except OSError:
            chunk = b''
        if not chunk:
            open_fds.remove(f)
            continue
        if f != fd:
            captured.write(chunk)
            captured.flush()
            continue
        out.write(chunk)
        out.flush()
        seen += chunk
        while answers and answers[0][0].encode() in seen:
            seen = seen.split(answers[0][0].encode(), 1)[1]
            os.write(fd, answers.pop(0)[1].encode())
if capture:
    # The terminal closed; take what is left in the pipe, unless something the child started holds it open.
    while pr in open_fds and select.select([pr], [], [], 5)[0]:
        chunk = os.read(pr, 65536)
        if not chunk:
            break
        captured.write(chunk)
    captured.close()
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) & 255)
`;

/** Options of {@link runInPty}. */
export interface PtyOptions {
  env: Record<string, string>;
  cols?: number;
  rows?: number;
  /** In order: once `when` has been drawn, type `send` (e.g. `['MFA code', '123456\r']`). */
  answers?: Array<[when: string, send: string]>;
  /** Kill after this long; default 120 s. */
  timeoutMs?: number;
  /** Give the command a pipe as stdout (as `$(...)` does) instead of the pty; what it writes there comes back as `stdout`. */
  captureStdout?: boolean;
}

/** What {@link runInPty} saw: the exit code, the raw terminal transcript and, with `captureStdout`, the piped stdout. */
export interface PtyResult {
  code: number;
  transcript: string;
  /** Only with `captureStdout`. */
  stdout?: string;
}

/** Runs `argv` with a pty as its stdin, stdout and stderr (stdout a pipe with `captureStdout`). */
export function runInPty(argv: string[], opts: PtyOptions): Promise<PtyResult> {
  const { NODE_TEST_CONTEXT: _ctx, ...env } = opts.env;
  const capture = !!opts.captureStdout;
  const args = ['-c', DRIVER, String(opts.cols ?? 100), String(opts.rows ?? 30), JSON.stringify(opts.answers ?? []), capture ? '1' : '0', ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { env, stdio: ['ignore', 'pipe', 'pipe', capture ? 'pipe' : 'ignore'] });
    let transcript = '';
    let err = '';
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (transcript += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    if (capture) (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 124, transcript: transcript + err, ...(capture ? { stdout } : {}) });
    });
  });
}
