// The file vault passphrase typed on the controlling terminal (a pty from
// util-linux `script`): a mistyped one is asked for again, up to three tries
// in all, then the command fails with ERR_VAULT_PASSPHRASE (exit 4). A fixed
// ROLEHOP_FILE_PASSPHRASE is never retried, even on a terminal.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_PATH } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
const RIGHT = 'test-passphrase'; // what sandbox.env() gives `add`

/** The prompt each answer goes to: the first one, then the retries. */
const PROMPTS = ['Passphrase for', '(2 left)', '(1 left)'];

describe('file vault passphrase on the terminal', { skip: hasScript ? false : 'util-linux script not installed' }, () => {
  let world: World;
  let out: string;

  before(async () => {
    world = await startWorld({});
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
    out = join(world.box.home, 'out.json');
  });
  after(async () => world?.stop());

  /** Runs `export` on a pty, typing `answers` at the successive passphrase prompts. */
  const exportOnTty = async (answers: string[], env: Record<string, string>) => {
    rmSync(out, { force: true });
    const cmd = `"${process.execPath}" "${CLI_PATH}" --mfa-token 123456 export alice --format json > "${out}"`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let answered = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      screen += d;
      while (answered < answers.length && screen.includes(PROMPTS[answered]!)) child.stdin.write(`${answers[answered++]!}\r`);
    });
    const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? 1)));
    return { code, screen, answered };
  };
  const withoutPassphrase = () => {
    const { ROLEHOP_FILE_PASSPHRASE: _p, ...env } = world.env;
    return env;
  };

  it('a wrong passphrase, then the right one: asked again and the command succeeds', async () => {
    const r = await exportOnTty(['not-it', RIGHT], withoutPassphrase());
    assert.equal(r.code, 0, r.screen);
    assert.match(r.screen, /Wrong passphrase, try again \(2 left\)/);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { AccessKeyId: string }).AccessKeyId.length > 0, true);
    assert.match(r.screen, /rolehop agent start/, 'the one-time tip');
  });

  it('three wrong passphrases fail with ERR_VAULT_PASSPHRASE and exit 4', async () => {
    const r = await exportOnTty(['one', 'two', 'three'], withoutPassphrase());
    assert.equal(r.code, 4, r.screen);
    assert.equal(r.answered, 3, r.screen);
    assert.match(r.screen, /\(1 left\)/);
    assert.match(r.screen, /Wrong passphrase for the file vault/);
    assert.doesNotMatch(r.screen, /\(0 left\)/);
    assert.doesNotMatch(r.screen, /agent start/, 'the tip is shown once per home');
    assert.equal(existsSync(out) && readFileSync(out, 'utf8').length > 0, false, 'no credentials printed');
  });

  it('a wrong ROLEHOP_FILE_PASSPHRASE fails at once, without asking', async () => {
    const r = await exportOnTty([], { ...world.env, ROLEHOP_FILE_PASSPHRASE: 'wrong' });
    assert.equal(r.code, 4, r.screen);
    assert.doesNotMatch(r.screen, /try again|Passphrase for/);
  });
});
