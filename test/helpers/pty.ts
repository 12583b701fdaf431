// Runs a command on a pseudo-terminal through python3's `pty` module and
// returns everything it drew, as a user's terminal would have received it.
import { spawn, spawnSync } from 'node:child_process';

/** Whether python3 (with its standard `pty` module) can run here. */
export const hasPythonPty = spawnSync('python3', ['-c', 'import pty, termios, fcntl']).status === 0;

const DRIVER = String.raw`
import fcntl, json, os, pty, struct, sys, termios
cols, rows, answers, argv = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.execvp(argv[0], argv)
seen = b''
out = sys.stdout.buffer
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out.write(chunk)
    out.flush()
    seen += chunk
    while answers and answers[0][0].encode() in seen:
        seen = seen.split(answers[0][0].encode(), 1)[1]
        os.write(fd, answers.pop(0)[1].encode())
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
}

/** Runs `argv` with a pty as its stdin, stdout and stderr; resolves with the exit code and the raw transcript. */
export function runInPty(argv: string[], opts: PtyOptions): Promise<{ code: number; transcript: string }> {
  const { NODE_TEST_CONTEXT: _ctx, ...env } = opts.env;
  const args = ['-c', DRIVER, String(opts.cols ?? 100), String(opts.rows ?? 30), JSON.stringify(opts.answers ?? []), ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let transcript = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (transcript += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 124, transcript: transcript + err });
    });
  });
}
