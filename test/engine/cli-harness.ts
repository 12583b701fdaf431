// Runs the `run` command handler in-process with a fake CliContext, so the
// acceptance tests exercise the real command (selection, engine, output,
// exit codes) without depending on the bundled CLI.
import { Writable } from 'node:stream';
import type { CliContext } from '../../src/cli/cli-context.js';
import type { Broker } from '../../src/sessions/broker-contract.js';
import { systemClock, silentLogger } from '../../src/io/context.js';
import runCommand from '../../src/cli/commands/run.js';
import { TerminalWriter } from '../../src/cli/terminal-writer.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString('utf8');
    cb();
  }
}

export interface HarnessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `rolehop run` with parsed `options` and positional `args`. */
export async function runInProcess(
  broker: Broker,
  args: string[],
  options: Record<string, unknown>,
  extra: { json?: boolean; rolehopHome: string; env?: Record<string, string>; signal?: AbortSignal },
): Promise<HarnessResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const cli: CliContext = {
    env: extra.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    homeDir: extra.rolehopHome,
    rolehopHome: extra.rolehopHome,
    userName: 'tester',
    clock: systemClock,
    logger: silentLogger,
    prompter: {
      mfaCode: async () => '123456',
      passphrase: async () => 'x',
      text: async () => 'y',
    },
    stdout,
    stderr,
    tty: { stdin: false, stdout: false, stderr: false },
    screen: new TerminalWriter({ stdout, stderr, tty: { stdout: false, stderr: false } }),
    json: !!extra.json,
    settle: async () => {},
    debug: false,
    config: () => {
      throw new Error('not used');
    },
    store: async () => {
      throw new Error('not used');
    },
    vault: async () => {
      throw new Error('not used');
    },
    broker: async () => broker,
    signal: extra.signal ?? new AbortController().signal,
  };
  const code = await runCommand(cli, args, { role: 'OrganizationAccountAccessRole', ...options } as never);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
