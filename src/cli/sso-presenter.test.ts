import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CliContext } from './cli-context.js';
import { ssoPresenter } from './sso-presenter.js';

const device = {
  kind: 'device',
  verificationUri: 'https://x/device',
  verificationUriComplete: 'https://x/device?user_code=ABCD-EFGH',
  userCode: 'ABCD-EFGH',
  expiresAt: new Date('2026-01-01T10:10:00Z'),
} as const;

/** Just what the presenter reads of a CliContext. */
function fakeCli(opts: { tty: boolean; browserCommand?: string }) {
  let err = '';
  const warnings: string[] = [];
  const cli = {
    env: opts.browserCommand ? { ROLEHOP_BROWSER_COMMAND: opts.browserCommand } : {},
    tty: { stdin: opts.tty, stdout: opts.tty, stderr: opts.tty },
    stderr: { write: (s: string) => ((err += s), true) },
    logger: { debug() {}, info() {}, warn: (m: string) => void warnings.push(m) },
  } as unknown as CliContext;
  return { cli, err: () => err, warnings };
}

const recorder = () => {
  const marker = join(mkdtempSync(join(tmpdir(), 'rolehop-presenter-')), 'opened');
  return { marker, command: `"${process.execPath}" -e "require('fs').writeFileSync(process.argv[1], process.argv[2])" ${marker} {url}` };
};

test('the URL and code are always shown on stderr; at a terminal the browser opens on the complete URL', async () => {
  const r = recorder();
  const f = fakeCli({ tty: true, browserCommand: r.command });
  await ssoPresenter(f.cli, { browser: true })(device);
  assert.match(f.err(), /open\n {2}https:\/\/x\/device\?user_code=ABCD-EFGH\nand confirm that it shows the code\n {2}ABCD-EFGH\n\(valid until 10:10 UTC\)/);
  assert.match(f.err(), /Waiting for the sign-in to be approved/);
  assert.equal(readFileSync(r.marker, 'utf8'), device.verificationUriComplete);
});

test('no terminal, or --no-browser: printed, never opened', async () => {
  for (const [tty, browser] of [
    [false, true],
    [true, false],
  ] as const) {
    const r = recorder();
    const f = fakeCli({ tty, browserCommand: r.command });
    await ssoPresenter(f.cli, { browser })({ kind: 'pkce', url: 'http://127.0.0.1:1/authorize?x=1' });
    assert.match(f.err(), /open\n {2}http:\/\/127\.0\.0\.1:1\/authorize\?x=1\nin a browser on this machine/);
    assert.equal(existsSync(r.marker), false);
  }
});

test('a browser that fails to start is a warning; the printed URL still stands', async () => {
  const f = fakeCli({ tty: true, browserCommand: `"${process.execPath}" -e "process.exit(3)" {url}` });
  await ssoPresenter(f.cli, { browser: true })(device);
  assert.equal(f.warnings.length, 1);
  assert.match(f.warnings[0]!, /open the link above yourself/);
  assert.match(f.err(), /ABCD-EFGH/);
});
