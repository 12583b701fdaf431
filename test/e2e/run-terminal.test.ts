// `rolehop run` on a real terminal: a pseudo-terminal (python3 pty) runs the
// built CLI against moto, and the transcript is rendered like a terminal to
// check that every result line survives the progress bar.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../helpers/sandbox.js';
import { CLI_PATH } from '../helpers/run-cli.js';
import { hasPythonPty, runInPty } from '../helpers/pty.js';
import { renderScreen } from '../helpers/screen.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 40;
const WIDTH = 100;

describe('rolehop run on a terminal', { skip: hasPythonPty ? false : 'python3 with the pty module is not installed' }, () => {
  let box: Sandbox;
  let env: Record<string, string>;
  let accounts: string[];
  let accountsFile: string;
  let world: World;

  before(async () => {
    world = await startWorld({ targets: N, env: { AWS_PROFILE: 'alice' } });
    ({ accounts, box, env } = world);
    box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    accountsFile = join(box.home, 'accounts.txt');
    writeFileSync(accountsFile, `${accounts.map((a, i) => `${a} team-${i}`).join('\n')}\n`);
    await world.storeKey();
  });
  after(async () => world?.stop());

  const cli = (...args: string[]) => [process.execPath, CLI_PATH, ...args];

  it(`shows all ${N * 2} result lines and a failure's stderr tail, with the bar on the same screen`, async () => {
    const bad = accounts[3]!;
    // One account's command fails the way the AWS CLI does: a message on stderr, exit 255.
    const script = `if [ "$1" = ${bad} ]; then printf 'line one\\n\\033[2Jcleared?\\nAn error occurred (NoSuchBucket) when calling the ListObjectsV2 operation\\n' >&2; exit 255; fi; echo hello "$1" "$2"`;
    const r = await runInPty(
      cli(
        '--mfa-token',
        '123456',
        'run',
        '--accounts-file',
        accountsFile,
        '--regions',
        'eu-west-1,us-east-1',
        '--yes',
        '--',
        'sh',
        '-c',
        script,
        'sh',
        '{account}',
        '{region}',
      ),
      { env, cols: WIDTH },
    );
    const screen = renderScreen(r.transcript, WIDTH);
    const text = screen.join('\n');
    assert.equal(r.code, 10, text);
    assert.match(r.transcript, /ETA/, 'a progress bar was drawn');
    const missing: string[] = [];
    for (const [i, a] of accounts.entries()) {
      if (a === bad) continue;
      for (const region of ['eu-west-1', 'us-east-1'])
        if (!screen.includes(`${a} (team-${i}) ${region} | hello ${a} ${region}`)) missing.push(`${a}/${region}`);
    }
    assert.deepEqual(missing, [], text);
    assert.match(text, new RegExp(`✗ ${bad} \\(team-3\\) eu-west-1: ERR_EXIT exited with code 255`));
    assert.match(text, /An error occurred \(NoSuchBucket\) when calling the ListObjectsV2 operation/);
    // The child's escape reached the terminal only escaped: the screen was not cleared.
    assert.match(text, /\\x1b\[2Jcleared\?/);
    assert.match(text, /78\/80 targets succeeded, 2 failed/);
    assert.ok(!screen.some((l) => /ETA/.test(l)), `the bar is gone at the end:\n${text}`);
  });

  it('shows every value of a fast --job', async () => {
    const job = join(box.home, 'fast.mjs');
    writeFileSync(job, 'export default async (ctx) => ({ at: ctx.account });\n');
    const ten = join(box.home, 'ten.txt');
    writeFileSync(ten, `${accounts.slice(0, 10).join('\n')}\n`);
    const r = await runInPty(cli('--mfa-token', '123456', 'run', '--accounts-file', ten, '--yes', '--job', job), { env, cols: WIDTH });
    const screen = renderScreen(r.transcript, WIDTH);
    assert.equal(r.code, 0, screen.join('\n'));
    for (const a of accounts.slice(0, 10)) assert.ok(screen.includes(`${a} us-east-1: {"at":"${a}"}`), `${a} in\n${screen.join('\n')}`);
  });

  it('draws no bar with --json, and asks for the MFA code on a line of its own', async () => {
    const five = join(box.home, 'five.txt');
    writeFileSync(five, `${accounts.slice(10, 15).join('\n')}\n`);
    // A fresh home: no cached session, so the code is asked for.
    await runInPty(cli('clear', 'alice'), { env });
    const r = await runInPty(cli('--json', 'run', '--accounts-file', five, '--yes', '--', 'echo', '{account}'), {
      env,
      cols: WIDTH,
      answers: [['MFA code', '123456\r']],
    });
    const screen = renderScreen(r.transcript, WIDTH);
    assert.equal(r.code, 0, screen.join('\n'));
    assert.doesNotMatch(r.transcript, /ETA|░|█/, 'no progress bar with --json');
    const prompt = screen.find((l) => l.includes('MFA code for'));
    assert.ok(prompt, screen.join('\n'));
    assert.match(prompt, /^\S*\s*MFA code for/);
    assert.equal(screen.filter((l) => l.startsWith('{"account"')).length, 5, screen.join('\n'));
  });
});
