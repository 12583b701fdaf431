// Putting `rolehop` on PATH the ways the README gives: `npm install -g` of a
// clone or of the tarball `npm pack` makes, and `npm link`. Each goes into a
// throw-away npm prefix (never the real global one), from a copy of the
// sources without dist/, so what runs is what npm's own hooks built.
//
// npm reads its cache first (`--prefer-offline`). A tarball install has no
// lockfile, so it asks the registry for package metadata: set
// ROLEHOP_TEST_NO_REGISTRY=1 on a machine without one to skip that case.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const NPM_TIMEOUT_MS = 300_000;
/** What a clone holds: no build output, no installed dependencies, no local caches. */
const NOT_IN_A_CLONE = new Set(['node_modules', 'dist', '.cache', '.git']);

/** A copy of the sources as a fresh clone has them. */
function cloneSources(to: string): string {
  cpSync(REPO_ROOT, to, {
    recursive: true,
    filter: (src) => {
      const rel = relative(REPO_ROOT, src);
      return !rel || !NOT_IN_A_CLONE.has(rel.split(sep)[0]!);
    },
  });
  return to;
}

/** npm with our prefix and nothing inherited from an outer npm (`npm test` sets npm_config_*). */
function npm(args: string[], cwd: string, prefix: string): { status: number | null; out: string } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k) && k !== 'NODE_TEST_CONTEXT') env[k] = v;
  Object.assign(env, { npm_config_prefix: prefix, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' });
  const r = spawnSync('npm', [...args, '--prefer-offline'], { cwd, env, encoding: 'utf8', timeout: NPM_TIMEOUT_MS });
  return { status: r.status, out: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

describe('installing rolehop with npm', { timeout: 4 * NPM_TIMEOUT_MS }, () => {
  let tmp: string;
  let box: Sandbox;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'rolehop-install-'));
    box = await makeSandbox();
  });
  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await box?.cleanup();
  });

  /** `$prefix/bin/rolehop` prints the version and runs a command. */
  const assertWorks = (prefix: string) => {
    const bin = join(prefix, 'bin', 'rolehop');
    assert.ok(existsSync(bin), `${bin} exists (bin: ${existsSync(join(prefix, 'bin')) ? readdirSync(join(prefix, 'bin')).join(',') : 'none'})`);
    const version = spawnSync(bin, ['--version'], { env: box.env(), encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);
    box.writeConfig('[profile me]\nregion = eu-west-1\n');
    const list = spawnSync(bin, ['--json', 'list'], { env: box.env(), encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /"me"/);
  };

  /** A clone whose dependencies are installed, as after `npm ci`; its node_modules is the repository's. */
  const installedClone = (name: string) => {
    const dir = cloneSources(join(tmp, name));
    symlinkSync(realpathSync(join(REPO_ROOT, 'node_modules')), join(dir, 'node_modules'), 'dir');
    return dir;
  };

  it('`npm install -g <clone>` builds dist/ and puts a working rolehop on PATH', () => {
    const clone = installedClone('clone-g');
    const prefix = join(tmp, 'prefix-g');
    const r = npm(['install', '-g', clone], tmp, prefix);
    assert.equal(r.status, 0, r.out);
    assertWorks(prefix);
    // The global rolehop is a link into the clone: after `git pull`, a rebuild must leave it runnable.
    const rebuilt = npm(['run', 'build'], clone, prefix);
    assert.equal(rebuilt.status, 0, rebuilt.out);
    assertWorks(prefix);
  });

  it('a clone built first installs with `--ignore-scripts` (for an npm that runs no prepare script of a folder)', () => {
    const clone = installedClone('clone-ignore');
    const built = npm(['run', 'build'], clone, join(tmp, 'unused-prefix'));
    assert.equal(built.status, 0, built.out);
    const prefix = join(tmp, 'prefix-ignore');
    const r = npm(['install', '-g', '--ignore-scripts', clone], tmp, prefix);
    assert.equal(r.status, 0, r.out);
    assert.doesNotMatch(r.out, /install-scripts/, 'no advisory about install scripts');
    assertWorks(prefix);
    assert.ok(existsSync(join(prefix, 'share', 'man', 'man1', 'rolehop.1')), 'the man page is installed');
  });

  it('`npm link` in a clone builds dist/ and puts a working rolehop on PATH', () => {
    const clone = installedClone('clone-link');
    const prefix = join(tmp, 'prefix-link');
    const r = npm(['link'], clone, prefix);
    assert.equal(r.status, 0, r.out);
    assertWorks(prefix);
  });

  it('`npm install -g <fresh clone>` installs the build tools into the clone, then builds', () => {
    const clone = cloneSources(join(tmp, 'clone-fresh'));
    const prefix = join(tmp, 'prefix-fresh');
    const r = npm(['install', '-g', clone], tmp, prefix);
    assert.equal(r.status, 0, r.out);
    assertWorks(prefix);
  });

  it(
    '`npm pack` builds the tarball, which installs with `npm install -g` and needs no build',
    { skip: process.env.ROLEHOP_TEST_NO_REGISTRY === '1' ? 'ROLEHOP_TEST_NO_REGISTRY=1' : false },
    () => {
      const clone = installedClone('clone-pack');
      const out = join(tmp, 'packed');
      mkdirSync(out);
      const packed = npm(['pack', '--pack-destination', out], clone, join(tmp, 'unused-prefix'));
      assert.equal(packed.status, 0, packed.out);
      const [tarball] = readdirSync(out).filter((f) => f.endsWith('.tgz'));
      assert.ok(tarball, packed.out);
      // The tarball must not need the sources or the build tools: remove the clone first.
      rmSync(clone, { recursive: true, force: true });
      const prefix = join(tmp, 'prefix-tgz');
      const r = npm(['install', '-g', join(out, tarball)], tmp, prefix);
      assert.equal(r.status, 0, r.out);
      assertWorks(prefix);
    },
  );
});
