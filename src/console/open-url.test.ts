import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRolehopError } from '../errors.js';
import { openSignInLink, type SignInLinkOptions } from './open-url.js';

const URL_ = 'https://signin.aws.amazon.com/federation?Action=login&SigninToken=SECRET-TOKEN';

/** A launcher child that exits with `code` after `ms` (never, for `code` undefined). */
function fakeChild(code: number | undefined, ms = 5): EventEmitter & { exitCode: number | null; unref(): void } {
  const child = Object.assign(new EventEmitter(), { exitCode: null as number | null, unref() {} });
  if (code !== undefined)
    setTimeout(() => {
      child.exitCode = code;
      child.emit('exit', code, null);
    }, ms);
  return child;
}

function withDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolehop-open-'));
    try {
      await run(join(dir, 'login'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const base = (handoffDir: string, extra: Partial<SignInLinkOptions>): SignInLinkOptions => ({
  handoffDir,
  keepMs: 1_000,
  platform: 'linux',
  env: { DISPLAY: ':0' },
  ...extra,
});

const pages = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('page-')) : []);

function assertNoBrowser(e: unknown, reason: RegExp): boolean {
  assert.ok(isRolehopError(e));
  assert.equal(e.code, 'ERR_CHILD_SPAWN');
  assert.match(e.message, reason);
  assert.match(e.hint ?? '', /--stdout/);
  assert.ok(!e.message.includes('SECRET-TOKEN') && !String(e.hint).includes('SECRET-TOKEN'));
  return true;
}

describe('openSignInLink without a usable browser', () => {
  it(
    'on Linux with no DISPLAY, WAYLAND_DISPLAY or BROWSER it fails before writing a page or starting anything',
    withDir(async (dir) => {
      let opened = 0;
      const open = async () => ((opened += 1), fakeChild(0));
      await assert.rejects(openSignInLink(URL_, base(dir, { env: {}, open })), (e) => assertNoBrowser(e, /no graphical session/));
      assert.equal(opened, 0);
      assert.deepEqual(pages(dir), []);
    }),
  );

  it(
    'under WSL the missing DISPLAY does not matter (the Windows browser opens)',
    withDir(async (dir) => {
      let opened = 0;
      const open = async () => ((opened += 1), fakeChild(0));
      await openSignInLink(URL_, base(dir, { env: { WSL_DISTRO_NAME: 'Ubuntu' }, open }));
      assert.equal(opened, 1);
    }),
  );

  it(
    'the open launcher (xdg-open) exiting non-zero is a failure, and the page is removed at once',
    withDir(async (dir) => {
      const open = async () => fakeChild(3);
      await assert.rejects(openSignInLink(URL_, base(dir, { open })), (e) => assertNoBrowser(e, /exited with code 3/));
      assert.deepEqual(pages(dir), []);
    }),
  );

  it(
    'a launch template exiting non-zero is a failure too',
    withDir(async (dir) => {
      const spawn = (() => {
        const child = fakeChild(1);
        setImmediate(() => child.emit('spawn'));
        return child;
      }) as unknown as SignInLinkOptions['spawn'];
      await assert.rejects(openSignInLink(URL_, base(dir, { browserCommand: 'mybrowser {url}', spawn })), (e) =>
        assertNoBrowser(e, /"mybrowser" exited with code 1/),
      );
      assert.deepEqual(pages(dir), []);
    }),
  );

  it(
    'a launcher that exits 0, or still runs after the grace period, counts as opened',
    withDir(async (dir) => {
      await openSignInLink(URL_, base(dir, { open: async () => fakeChild(0) }));
      await openSignInLink(URL_, base(dir, { open: async () => fakeChild(undefined), startGraceMs: 50 }));
    }),
  );
});
