import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Each load runs in a child process: the cache is written at exit.
const codeCache = fileURLToPath(new URL('./code-cache.ts', import.meta.url));

describe('requireWithCodeCache', () => {
  let dir: string;
  let bundle: string;
  let cacheDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rolehop-code-cache-'));
    bundle = join(dir, 'bundle.cjs');
    cacheDir = join(dir, 'home', 'code-cache');
    writeFileSync(bundle, '#!/usr/bin/env node\n"use strict";\nexports.answer = (x) => x * 2;\nexports.file = __filename;\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (buildId = 'b1') => spawnLoad(bundle, buildId);
  const spawnLoad = (bundle: string, buildId: string) => spawnLoadInto(bundle, buildId, cacheDir);
  const spawnLoadInto = (bundle: string, buildId: string, cacheDir: string) => {
    const script = `
      const { requireWithCodeCache } = await import(${JSON.stringify(codeCache)});
      const { createRequire } = await import('node:module');
      const m = requireWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}, ${JSON.stringify(buildId)}, createRequire(import.meta.url));
      process.stdout.write(JSON.stringify({ answer: m.answer(21), file: m.file }));
      process.exit(0);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { answer: number; file: string };
  };
  const caches = () => readdirSync(cacheDir).sort();

  it('loads the bundle as require would, and keeps its code cache private', () => {
    assert.deepEqual(load(), { answer: 42, file: bundle });
    const [cache, ...rest] = caches();
    assert.deepEqual(rest, []);
    assert.match(cache!, new RegExp(`^bundle\\.cjs-[0-9a-f]{8}-${process.version}-${process.arch}-b1-\\d+-\\d+\\.v8$`));
    assert.equal(statSync(join(cacheDir, cache!)).mode & 0o777, 0o600);
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    const made = statSync(join(cacheDir, cache!)).mtimeMs;
    assert.deepEqual(load(), { answer: 42, file: bundle });
    assert.equal(statSync(join(cacheDir, cache!)).mtimeMs, made, 'an accepted cache is not written again');
  });

  it('makes a new cache for a new build and drops the old one', () => {
    load('b1');
    writeFileSync(bundle, '"use strict";\nexports.answer = (x) => x * 3;\nexports.file = __filename;\n');
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    assert.equal(load('b2').answer, 63);
    assert.equal(caches().length, 1);
    assert.match(caches()[0]!, /-b2-/);
  });

  it('two installs of different builds keep a cache each', () => {
    load('b1');
    const second = join(dir, 'other', 'bundle.cjs');
    mkdirSync(join(dir, 'other'));
    copyFileSync(bundle, second);
    const before = caches();
    const r = spawnLoad(second, 'b2');
    assert.equal(r.answer, 42);
    assert.equal(caches().length, 2);
    assert.ok(before.every((c) => caches().includes(c)));
  });

  it('a damaged cache is rejected by V8 and made again', () => {
    load();
    const [cache] = caches();
    writeFileSync(join(cacheDir, cache!), Buffer.alloc(4096, 7));
    assert.equal(load().answer, 42);
    assert.notEqual(statSync(join(cacheDir, cache!)).size, 4096);
    writeFileSync(join(cacheDir, cache!), '');
    assert.equal(load().answer, 42);
  });

  it('never uses a cache that others can write to: V8 would run what it holds', () => {
    load();
    const [cache] = caches();
    // A cache made for other code of the same length, put where ours was.
    const evil = join(dir, 'evil', 'bundle.cjs');
    mkdirSync(dirname(evil));
    const good = readFileSync(bundle, 'utf8');
    writeFileSync(evil, good.replace('x * 2', 'x + 1'));
    assert.equal(readFileSync(evil).length, good.length);
    const evilCacheDir = join(dir, 'evil-cache');
    spawnLoadInto(evil, 'b1', evilCacheDir);
    const planted = readFileSync(join(evilCacheDir, readdirSync(evilCacheDir)[0]!));
    writeFileSync(join(cacheDir, cache!), planted);
    chmodSync(join(cacheDir, cache!), 0o600);
    assert.equal(load().answer, 22, 'a planted cache in a private directory is run (this is why it must be private)');
    writeFileSync(join(cacheDir, cache!), planted);
    chmodSync(join(cacheDir, cache!), 0o620);
    assert.equal(load().answer, 42, 'a group-writable cache file is not used');
    assert.equal(statSync(join(cacheDir, cache!)).mode & 0o777, 0o600, 'and is replaced by a private one');
    writeFileSync(join(cacheDir, cache!), planted);
    chmodSync(join(cacheDir, cache!), 0o600);
    chmodSync(cacheDir, 0o777);
    assert.equal(load().answer, 42, 'nor is a cache in a world-writable directory');
    assert.deepEqual(readFileSync(join(cacheDir, cache!)), planted, 'where nothing is written either');
  });

  it('hands the bundle the importer it is given, as __rolehopImport, with or without a cache', () => {
    writeFileSync(
      bundle,
      '"use strict";\nexports.answer = (x) => x * 2;\nexports.file = __filename;\nexports.imported = () => __rolehopImport("node:path");\n',
    );
    const script = `
      const { requireWithCodeCache } = await import(${JSON.stringify(codeCache)});
      const { createRequire } = await import('node:module');
      const seen = [];
      const m = requireWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}, 'b1', createRequire(import.meta.url), (s) => (seen.push(s), import(s)));
      const { sep } = await m.imported();
      process.stdout.write(JSON.stringify({ sep, seen }));
      process.exit(0);`;
    for (let run = 0; run < 2; run++) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { sep: '/', seen: ['node:path'] });
    }
    assert.equal(caches().length, 1);
  });

  it('an unwritable cache directory only costs speed', () => {
    writeFileSync(join(dir, 'home'), 'not a directory');
    assert.equal(load().answer, 42);
  });
});
