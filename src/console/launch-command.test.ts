import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ErrorCodes } from '../errors.js';
import { buildLaunchCommand, splitCommandLine } from './launch-command.js';
import { openSignInLink, openUrl } from './open-url.js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const URL_ = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=rolehop&SigninToken=a b';

describe('splitCommandLine', () => {
  it('follows shlex rules', () => {
    assert.deepEqual(splitCommandLine(`firefox -P 'my profile' --new-tab "{url}"`), ['firefox', '-P', 'my profile', '--new-tab', '{url}']);
    assert.deepEqual(splitCommandLine(`a\\ b "c\\"d" ''  e`), ['a b', 'c"d', '', 'e']);
    assert.deepEqual(splitCommandLine('  '), []);
    assert.throws(() => splitCommandLine('open "x'), { code: ErrorCodes.CONFIG_PARSE });
  });
});

describe('buildLaunchCommand', () => {
  it('substitutes inside words, so values never split', () => {
    const r = buildLaunchCommand('chromium --profile-directory={profile} {url}', { url: URL_, profile: 'work stuff' });
    assert.deepEqual(r, { command: 'chromium', args: ['--profile-directory=work stuff', URL_] });
  });
  it('offers encoded placeholders and appends the URL when absent', () => {
    const r = buildLaunchCommand('firefox ext+container:name={profile_encoded}&url={url_encoded}', { url: URL_, profile: 'a b' });
    assert.deepEqual(r.args, [`ext+container:name=a%20b&url=${encodeURIComponent(URL_)}`]);
    assert.deepEqual(buildLaunchCommand('my-browser --new-window', { url: URL_, profile: 'p' }).args, ['--new-window', URL_]);
  });
});

function fakeSpawn(fail?: NodeJS.ErrnoException) {
  const seen: { command: string; args: string[]; opts: Record<string, unknown> }[] = [];
  const spawn = ((command: string, args: string[], opts: Record<string, unknown>) => {
    seen.push({ command, args, opts });
    const child = new EventEmitter() as EventEmitter & { unref(): void };
    child.unref = () => {};
    setImmediate(() => (fail ? child.emit('error', fail) : child.emit('spawn')));
    return child;
  }) as unknown as typeof import('node:child_process').spawn;
  return { spawn, seen };
}

describe('openUrl', () => {
  it('runs the template without a shell', async () => {
    const f = fakeSpawn();
    await openUrl(URL_, { browserCommand: 'firefox -P {profile} --new-tab {url}', browserProfile: 'prod', spawn: f.spawn });
    assert.equal(f.seen[0]!.command, 'firefox');
    assert.deepEqual(f.seen[0]!.args, ['-P', 'prod', '--new-tab', URL_]);
    assert.equal(f.seen[0]!.opts.shell, false);
  });

  it('reports a missing program without the URL', async () => {
    const e = Object.assign(new Error(`spawn nope ENOENT ${URL_}`), { code: 'ENOENT' });
    const f = fakeSpawn(e);
    const err = await openUrl(URL_, { browserCommand: 'nope {url}', spawn: f.spawn }).catch((x) => x);
    assert.equal(err.code, ErrorCodes.CHILD_SPAWN);
    assert.match(err.message, /"nope"/);
    assert.ok(!`${err.message}${err.hint}${err.cause?.message}`.includes('SigninToken'));
  });

  it('uses the open package otherwise', async () => {
    const opened: unknown[] = [];
    await openUrl(URL_, { open: async (t, o) => opened.push([t, o]) });
    assert.deepEqual(opened, [[URL_, undefined]]);
  });
});

describe('openSignInLink', () => {
  it('gives the browser a private page, never the link, and removes the page when the browser cannot start', async () => {
    const handoffDir = join(mkdtempSync(join(tmpdir(), 'rolehop-signin-')), 'login');
    try {
      const ok = fakeSpawn();
      await openSignInLink(URL_, { browserCommand: 'firefox {url}', spawn: ok.spawn, handoffDir, keepMs: 60_000 });
      const [target] = ok.seen[0]!.args;
      assert.match(target!, /^file:\/\//);
      assert.ok(!ok.seen.some((s) => [s.command, ...s.args].join(' ').includes('SigninToken')));
      assert.ok(readFileSync(fileURLToPath(target!), 'utf8').includes('SigninToken=a b'));

      const failing = fakeSpawn(Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' }));
      await assert.rejects(openSignInLink(URL_, { browserCommand: 'nope {url}', spawn: failing.spawn, handoffDir, keepMs: 60_000 }));
      assert.ok(!existsSync(dirname(fileURLToPath(failing.seen[0]!.args[0]!))), 'the page of a browser that did not start is gone');
    } finally {
      rmSync(dirname(handoffDir), { recursive: true, force: true });
    }
  });
});
