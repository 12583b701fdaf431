// An interactive bash, zsh or fish on a pseudo-terminal (runInPty), typed
// at line by line as a person would: each line is sent once the previous
// one has finished, its exit status and output are read back from the
// screen, and the shell exits normally at the end (so it writes its history).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInPty } from './pty.js';

/** The shells {@link runShellSession} can drive. */
export type ShellKind = 'bash' | 'zsh' | 'fish';

/** Whether `shell` is installed here. */
export function hasShell(shell: ShellKind): boolean {
  return spawnSync(shell, ['-c', 'exit 0']).status === 0;
}

/** One typed line, and the answers to give to what it asks (in order, e.g. `['MFA code', '123456\r']`). */
export interface ShellStep {
  line: string;
  answers?: Array<[when: string, send: string]>;
}

/** What a session produced. */
export interface ShellSession {
  /** The shell's own exit code. */
  code: number;
  /** Everything drawn on the terminal. */
  transcript: string;
  /** Per step: its exit status and what the terminal showed for it (its echoed line included). */
  steps: Array<{ status: number; output: string }>;
  /** The history file the shell was told to write. */
  historyFile: string;
}

/** Options of {@link runShellSession}. */
export interface ShellSessionOptions {
  /** The shell's environment; `HOME` must be a directory the test owns (the rc and history files go there). */
  env: Record<string, string>;
  /** Extra start-up lines for the shell's rc file (after the prompt and history settings). */
  rc?: string;
  timeoutMs?: number;
}

const PROMPT = 'shell-session> ';
// Split in the typed text, whole in the output: the echo of the line never matches.
const marker = (i: number) => `__step${i}_done:`;
const markerCommand = (shell: ShellKind, i: number) => `; echo "__step""${i}_done:${shell === 'fish' ? '$status' : '$?'}"`;

function startShell(shell: ShellKind, home: string, rc: string): { argv: string[]; env: Record<string, string>; historyFile: string } {
  if (shell === 'bash') {
    const historyFile = join(home, '.bash_history');
    const file = join(home, '.bashrc');
    writeFileSync(file, `PS1='${PROMPT}'\nHISTFILE='${historyFile}'\nHISTSIZE=1000\nHISTFILESIZE=1000\n${rc}\n`);
    return { argv: ['bash', '--noprofile', '--rcfile', file, '-i'], env: {}, historyFile };
  }
  if (shell === 'zsh') {
    const historyFile = join(home, '.zsh_history');
    writeFileSync(join(home, '.zshrc'), `PS1='${PROMPT}'\nunsetopt PROMPT_SP\nHISTFILE='${historyFile}'\nHISTSIZE=1000\nSAVEHIST=1000\n${rc}\n`);
    return { argv: ['zsh', '-i'], env: { ZDOTDIR: home }, historyFile };
  }
  const data = join(home, '.local', 'share');
  mkdirSync(join(data, 'fish'), { recursive: true });
  const file = join(home, 'session.fish');
  writeFileSync(file, `function fish_prompt; echo -n '${PROMPT}'; end\nfunction fish_greeting; end\n${rc}\n`);
  return { argv: ['fish', '--no-config', '-i', '-C', `source '${file}'`], env: { XDG_DATA_HOME: data }, historyFile: join(data, 'fish', 'fish_history') };
}

/**
 * Starts `shell` interactively on a pty with a known prompt and a history
 * file under `HOME`, types each step's line (followed by an echo of its exit
 * status), answers its questions, then types `exit`. Never rejects for a
 * failing step; a step that never finishes ends the session at `timeoutMs`
 * (default 180 s) with its status -1.
 */
export async function runShellSession(shell: ShellKind, steps: ShellStep[], opts: ShellSessionOptions): Promise<ShellSession> {
  const home = opts.env.HOME;
  if (!home) throw new Error('runShellSession needs HOME in env');
  const started = startShell(shell, home, opts.rc ?? '');
  const answers: Array<[string, string]> = [];
  steps.forEach((step, i) => {
    answers.push([i === 0 ? PROMPT : marker(i - 1), `${step.line}${markerCommand(shell, i)}\r`]);
    answers.push(...(step.answers ?? []));
  });
  answers.push([steps.length ? marker(steps.length - 1) : PROMPT, 'exit\r']);
  const { code, transcript } = await runInPty(started.argv, {
    env: { ...opts.env, ...started.env, TERM: 'xterm' },
    answers,
    timeoutMs: opts.timeoutMs ?? 180_000,
    cols: 200,
  });
  const done = [...transcript.matchAll(/__step(\d+)_done:(\d+)/g)];
  let from = 0;
  const results = steps.map((_, i) => {
    const m = done.find((d) => d[1] === String(i));
    if (!m) return { status: -1, output: transcript.slice(from) };
    const out = { status: Number(m[2]), output: transcript.slice(from, m.index) };
    from = m.index + m[0].length;
    return out;
  });
  return { code, transcript, steps: results, historyFile: started.historyFile };
}
