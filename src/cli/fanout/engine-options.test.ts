import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RolehopError } from '../../errors.js';
import { checkEngineFlags, engineOptions } from './engine-options.js';

const creds = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'not-a-secret' };
const signal = new AbortController().signal;

describe('checkEngineFlags', () => {
  it('passes absent and sensible flags', () => {
    checkEngineFlags({});
    checkEngineFlags({ concurrency: 1, timeout: 0.5 });
  });

  it('refuses a concurrency below 1 and a timeout that is not positive, with a hint', () => {
    for (const bad of [{ concurrency: 0 }, { concurrency: Number.NaN }, { timeout: 0 }, { timeout: -1 }]) {
      assert.throws(
        () => checkEngineFlags(bad),
        (e: unknown) => e instanceof RolehopError && e.code === 'ERR_USAGE' && /For example/.test(e.hint ?? ''),
      );
    }
  });
});

describe('engineOptions', () => {
  const source = { broker: () => assert.fail('not asked'), profile: 'alice', sourceSession: creds, endpoints: {}, sessionName: 'rolehop-certs' };

  it('sets only the flags given, and names the role session after the command and the user', () => {
    const o = engineOptions({ userName: 'jo smith', signal }, { role: 'Audit' }, source);
    assert.deepEqual(Object.keys(o).sort(), ['broker', 'endpoints', 'profile', 'role', 'roleSessionName', 'signal', 'sourceSession']);
    assert.equal(o.roleSessionName, 'rolehop-certs-jo-smith');
    assert.equal(o.signal, signal);
  });

  it('carries every flag and the source extras: seconds become milliseconds', () => {
    const sts = { assumeRole: async () => assert.fail('not asked') };
    const shard = { index: 1, count: 2 };
    const o = engineOptions(
      { userName: 'jo', signal },
      { role: 'Audit', externalId: 'x-1', concurrency: 4, timeout: 1.5, stsRate: 20 },
      { ...source, sts: sts as never, shard },
    );
    assert.deepEqual([o.externalId, o.concurrency, o.timeoutMs, o.stsRatePerSecond, o.shard, o.sts], ['x-1', 4, 1500, 20, shard, sts]);
  });
});
