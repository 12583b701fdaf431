// After an upgrade or a rebuild, the agent an earlier build started (by hand
// or by itself) must not go on answering with the old code: the first call
// of the new build stops it and goes on without it. The "earlier build" is a
// copy of dist/ with another build id, run from inside the repository so it
// finds the same node_modules.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

/** Every file under `dir`. */
const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));

describe('an agent of another rolehop build', () => {
  let world: World;
  const otherDist = join(REPO_ROOT, '.cache', 'test-dist-other-build');

  before(async () => {
    world = await startWorld();
    world.box.writeConfig('[profile alice]\nregion = us-east-1\n');
    await world.storeKey();
    rmSync(otherDist, { recursive: true, force: true });
    cpSync(join(REPO_ROOT, 'dist'), otherDist, { recursive: true });
    let patched = 0;
    for (const f of files(otherDist)) {
      const text = readFileSync(f, 'utf8');
      const other = text.replace(/"(\d+\.\d+\.\d+)\+[0-9a-z]+"/g, (_, v: string) => `"${v}+otherbuild"`);
      if (other !== text) {
        writeFileSync(f, other);
        patched++;
      }
    }
    assert.ok(patched > 0, 'the build id is in the bundles');
  });
  after(async () => {
    await runCli(['agent', 'stop'], { env: world.env, cli: join(otherDist, 'cli.cjs') });
    rmSync(otherDist, { recursive: true, force: true });
    await world?.stop();
  });

  it('is stopped by the first call of this build, which works without it', async () => {
    const start = await runCli(['agent', 'start'], { env: world.env, cli: join(otherDist, 'cli.cjs') });
    assert.equal(start.code, 0, start.stderr);
    const before = JSON.parse((await runCli(['--json', 'agent', 'status'], { env: world.env })).stdout) as { running: boolean; pid?: number };
    assert.equal(before.running, true);
    // The hot path's own request is refused by the old agent; the normal path stops it.
    const r = await runCli(['export', 'alice', '--format', 'credential-process'], { env: world.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`stopped the agent an earlier rolehop build left running \\(pid ${before.pid}\\)`));
    assert.equal((JSON.parse(r.stdout) as { Version: number }).Version, 1);
    const after = await runCli(['--json', 'agent', 'status'], { env: world.env });
    assert.equal((JSON.parse(after.stdout) as { running: boolean }).running, false);
  });
});
