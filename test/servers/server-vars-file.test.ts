// The example of `rolehop server --help`, run verbatim as a user would: the
// server in one shell writing its variables to a file, another shell sourcing
// that file and calling the AWS CLI; Ctrl-C stops the server and removes the file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../helpers/sandbox.js';
import { runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { cliWithServers } from '../agent/cli-build.js';

const TARGET = '210987654321';

/** Signals the process group of `child`, if it still runs. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** `line` in a shell of its own process group, so Ctrl-C can be sent to the whole group as a terminal does. */
function sh(line: string, env: Record<string, string>): ChildProcess {
  return spawn('/bin/sh', ['-c', line], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function finished(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('server --help example', () => {
  let box: Sandbox;
  let env: Record<string, string>;
  let cli: string;
  let world: World;

  before(async () => {
    cli = await cliWithServers();
    world = await startWorld({ build: false });
    ({ box } = world);
    // `rolehop` on PATH, as the example spells it.
    const bin = join(box.home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'rolehop'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, { mode: 0o755 });
    env = { ...world.env, PATH: `${bin}:${world.env.PATH}` };
    box.writeConfig(
      [
        '[profile alice]',
        'region = us-east-1',
        `mfa_serial = ${world.alice.mfaSerial}`,
        'mfa_process = echo 123456',
        '',
        '[profile dev]',
        `role_arn = arn:aws:iam::${TARGET}:role/Admin`,
        'source_profile = alice',
        'region = eu-west-1',
        '',
      ].join('\n'),
    );
    await world.storeKey({ cli });
  });
  after(async () => world?.stop());

  it('works verbatim: serve into a 0600 file, source it in another shell, Ctrl-C removes it', async () => {
    const help = await runCli(['server', '--help'], { cli, env });
    assert.equal(help.code, 0, help.stderr);
    const examples = help.stdout
      .slice(help.stdout.indexOf('Examples:'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const serve = examples.find((l) => l.startsWith('rolehop server dev --vars-file'));
    const use = examples.find((l) => l.startsWith('. '));
    assert.ok(serve && use, help.stdout);
    assert.doesNotMatch(help.stdout, /eval "\$\(rolehop server/, 'the example that hangs is gone');
    const file = join(box.home, '.rolehop-dev.vars');

    const server = sh(serve, env);
    const done = finished(server, 120_000);
    try {
      for (let i = 0; i < 600 && !existsSync(file) && server.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(existsSync(file), `the server wrote ${file}: ${server.exitCode === null ? 'still waiting' : (await done).stderr}`);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const r = await finished(sh(use, env), 60_000);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { Account: string }).Account, TARGET);
    } finally {
      signalGroup(server, 'SIGINT');
    }
    // The shell itself dies of the SIGINT; 'close' waits for rolehop too (it holds the pipes).
    const s = await done;
    assert.doesNotMatch(s.stderr, /error/i);
    assert.equal(s.stdout, '', 'with --vars-file the variables are not printed');
    assert.ok(!existsSync(file), 'the file is removed when the server stops');
  });
});
