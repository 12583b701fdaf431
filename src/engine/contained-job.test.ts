import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, type RolehopError } from '../errors.js';
import { JobContainment } from './contained-job.js';
import type { JobContext } from './types.js';

const ctx = (account: string) => ({ account, region: 'eu-west-1' }) as JobContext;
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobContainment', () => {
  it('puts a stray error on the target whose code raised it, and only that one', async () => {
    const c = new JobContainment();
    const seen: unknown[] = [];
    const job = c.wrap(async (x) => {
      // A callback the job set up fails later, in the job's own async context.
      if (x.account === '1') setTimeout(() => seen.push(c.strayError(new Error('boom\nsecond line'))), 5);
      await later(100);
      return x.account;
    });
    const [one, two] = await Promise.allSettled([job(ctx('1')), job(ctx('2'))]);
    assert.equal(one.status, 'rejected');
    const e = (one as PromiseRejectedResult).reason as RolehopError;
    assert.equal(e.code, ErrorCodes.JOB_CRASH);
    assert.equal(e.message, 'The job left an error nobody caught: boom');
    assert.deepEqual(two, { status: 'fulfilled', value: '2' });
    assert.deepEqual(seen, [{ to: 'target', target: '1/eu-west-1' }]);
    assert.deepEqual(c.strayError(new Error('nobody')), { to: 'none' }, "outside any job the error is nobody's");
  });

  it('fails the calling target with ERR_JOB_EXIT even when the job swallows the throw; later errors are reported as late', async () => {
    const c = new JobContainment();
    let late: Promise<unknown> | undefined;
    const job = c.wrap(async () => {
      try {
        throw c.exitCalled(0);
      } catch {
        // swallowed by the job
      }
      late = later(20).then(() => c.strayError(new Error('after the end')));
      return 'survived';
    });
    await assert.rejects(job(ctx('1')), (e: RolehopError) => e.code === ErrorCodes.JOB_EXIT && /process\.exit\(0\)/.test(e.message));
    assert.deepEqual(await late, { to: 'finished-target', target: '1/eu-west-1' });
  });
});
