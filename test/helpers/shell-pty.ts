// An interactive bash or zsh on a pseudo-terminal with rolehop's completion
// loaded, as a user's rc file would load it: types a partial command line and
// TAB, then runs `echo` on whatever the line became, so a test reads both the
// candidates the shell listed and the line completion left.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInPty } from './pty.js';
import { renderScreen } from './screen.js';
import { CLI_PATH } from './run-cli.js';

/** The shells a test can drive this way. */
export type InteractiveShell = 'bash' | 'zsh';

const PROMPT = 'PROMPT> ';
/** Printed in front of the completed line. The input line spells it `COMPLE""TED`, so only echo's output holds it. */
const MARK = 'COMPLETED ';
const TYPED_MARK = 'COMPLE""TED ';
const WIDTH = 120;

/** What one completion showed. */
export interface ShellCompletion {
  /** The words the line held after completion, as the shell passed them to `echo`. */
  line: string;
  /**
   * Everything the shell drew, escape sequences and carriage returns
   * removed: the listing of candidates is in it (zsh erases its listing
   * from the screen when the line is accepted, so the screen is not enough).
   */
  text: string;
}

/**
 * Writes `<dir>/bin/rolehop` (running the built CLI with this Node) and the
 * shell's rc file loading `rolehop completion SHELL` plus `extraRc`; returns
 * the argv and environment additions to start the shell.
 */
function prepareShell(shell: InteractiveShell, dir: string, extraRc: string): { argv: string[]; env: Record<string, string> } {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'rolehop'), `#!/bin/sh\nexec '${process.execPath}' '${CLI_PATH}' "$@"\n`);
  chmodSync(join(bin, 'rolehop'), 0o755);
  if (shell === 'bash') {
    const rc = join(dir, 'bashrc');
    writeFileSync(rc, `PS1='${PROMPT}'\nbind 'set bell-style none'\nbind 'set show-all-if-ambiguous on'\neval "$(rolehop completion bash)"\n${extraRc}\n`);
    return { argv: ['bash', '--noprofile', '--rcfile', rc, '-i'], env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` } };
  }
  const zdot = join(dir, 'zdot');
  mkdirSync(zdot, { recursive: true });
  writeFileSync(
    join(zdot, '.zshrc'),
    `PS1='${PROMPT}'\nbindkey -e\nunsetopt beep\n# List the candidates on the first TAB, as show-all-if-ambiguous does for bash.\nunsetopt list_ambiguous\nautoload -Uz compinit && compinit -u -d '${zdot}/.zcompdump'\nsource <(rolehop completion zsh)\n${extraRc}\n`,
  );
  return { argv: ['zsh', '-i'], env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, ZDOTDIR: zdot } };
}

/**
 * Starts `shell` interactively in `dir` (a sandbox home) and types `typed`
 * (a partial line ending with a TAB). Once `waitFor` is drawn (a candidate
 * that must be listed, or the text completion inserts), it types Ctrl-A,
 * `echo COMPLETED ` and Enter, then `exit`. Shells list candidates only
 * when no keys are pending, hence the wait on what the TAB must show rather
 * than on the clock; a completion that never shows it fails by the timeout,
 * with what was drawn.
 */
export async function completeInShell(
  shell: InteractiveShell,
  typed: string,
  opts: { dir: string; env: Record<string, string>; waitFor: string; extraRc?: string },
): Promise<ShellCompletion> {
  const { argv, env } = prepareShell(shell, opts.dir, opts.extraRc ?? '');
  const r = await runInPty(argv, {
    env: { ...opts.env, ...env, TERM: 'xterm', SHELL: shell },
    cols: WIDTH,
    rows: 60,
    answers: [
      [PROMPT, typed],
      [opts.waitFor, `\x01echo ${TYPED_MARK}\r`],
      [MARK, 'exit\r'],
    ],
    timeoutMs: 30_000,
  });
  // oxlint-disable-next-line no-control-regex -- removing escape sequences is the point
  const text = r.transcript.replace(/\x1b\[[?0-9;]*[A-Za-z@]|\x1b[()][A-Z0-9]|\x1b[=>]/g, '').replace(/\r/g, '');
  const line = text.split('\n').find((l) => l.startsWith(MARK));
  if (line === undefined || r.code !== 0) throw new Error(`${shell} (exit ${r.code}): no completed line in:\n${renderScreen(r.transcript, WIDTH).join('\n')}`);
  return { line: line.slice(MARK.length).trimEnd(), text };
}
