// The package as a user installs it: the files npm would publish, the bin
// and the library entry resolved through package.json, not through src/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, REPO_ROOT } from '../helpers/run-cli.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  exports: Record<string, Record<string, string>>;
  main: string;
  types: string;
};

describe('the published package', () => {
  let project: string;
  before(async () => {
    await ensureBuilt();
    // `npm run build` writes the declarations; a bundle-only build (what
    // ensureBuilt runs when sources changed) does not.
    if (!existsSync(join(REPO_ROOT, pkg.types))) {
      const tsc = spawnSync(
        process.execPath,
        [
          join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
          '-p',
          'tsconfig.json',
          '--emitDeclarationOnly',
          '--declaration',
          '--outDir',
          'dist/types',
        ],
        { cwd: REPO_ROOT, encoding: 'utf8' },
      );
      assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    }
    // A consumer project with rolehop "installed" (linked, as npm link does).
    project = mkdtempSync(join(tmpdir(), 'rolehop-consumer-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(REPO_ROOT, join(project, 'node_modules', 'rolehop'), 'dir');
    writeFileSync(join(project, 'package.json'), '{"type":"module","private":true}\n');
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  it('publishes the executable, both bundles, the library and its types', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = new Set((JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path));
    for (const f of [
      pkg.bin.rolehop!,
      'dist/hot-keychain.cjs',
      'dist/hot-login.cjs',
      'dist/hot-list.cjs',
      'dist/main.mjs',
      pkg.main.replace(/^\.\//, ''),
      pkg.types.replace(/^\.\//, ''),
    ])
      assert.ok(files.has(f), `${f} is published`);
    assert.ok(![...files].some((f) => f.startsWith('src/') || f.startsWith('test/')), 'no sources or tests');
  });

  it('the bin is an executable script that runs', () => {
    const bin = join(project, 'node_modules', 'rolehop', pkg.bin.rolehop!);
    assert.match(readFileSync(bin, 'utf8').split('\n')[0]!, /^#!\/usr\/bin\/env node$/);
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('`import "rolehop"` gives the documented library', () => {
    const script = join(project, 'use.mjs');
    writeFileSync(
      script,
      "import * as r from 'rolehop';\nconsole.log(JSON.stringify(['forAccount','fanOut','createDefaultBroker','createBroker','RolehopError','ErrorCodes','ExitCodes','isRolehopError','credentialEnv'].filter((k) => r[k] === undefined)));\n",
    );
    const r = spawnSync(process.execPath, [script], { cwd: project, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [], 'every documented export is there');
  });
});
