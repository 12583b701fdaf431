// 20 rolehop processes at once for the same profile: one MFA prompt, one
// GetSessionToken, one AssumeRole per hop (proved by a counting proxy).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

describe('concurrent rolehop processes', () => {
  let proxy: CountingProxy;
  let box: Sandbox;
  let env: Record<string, string>;
  let mfaLog: string;
  let world: World;

  before(async () => {
    world = await startWorld({ proxy: true, env: { AWS_REGION: 'us-east-1' } });
    ({ proxy, box, env } = world);
    const { alice } = world;
    mfaLog = join(box.home, 'mfa.log');
    box.writeConfig(
      [
        '[profile alice]',
        `mfa_serial = ${alice.mfaSerial}`,
        // A slow person: the others must wait for this one code, not ask again.
        `mfa_process = echo asked >> ${mfaLog}; sleep 1; echo 123456`,
        '[profile hub]',
        'role_arn = arn:aws:iam::111111111111:role/Hub',
        'source_profile = alice',
        '[profile prod]',
        'role_arn = arn:aws:iam::222222222222:role/Admin',
        'source_profile = hub',
      ].join('\n'),
    );
    await world.storeKey();
  });

  after(async () => world?.stop());

  it('20 parallel exec make 1 GetSessionToken, 1 AssumeRole per hop and ask for MFA once', async () => {
    proxy.reset();
    const runs = await Promise.all(
      Array.from({ length: 20 }, () => runCli(['exec', 'prod', '--', 'sh', '-c', 'echo $AWS_ACCESS_KEY_ID'], { env, timeoutMs: 120_000 })),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    assert.equal(new Set(runs.map((r) => r.stdout.trim())).size, 1, 'all got the same cached credentials');
    assert.equal(readFileSync(mfaLog, 'utf8').trim().split('\n').length, 1);
    assert.equal(proxy.count('GetSessionToken'), 1);
    assert.equal(proxy.count('AssumeRole'), 2);
  });
});
