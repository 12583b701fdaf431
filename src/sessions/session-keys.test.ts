import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Plan } from '../config/plan.js';
import { planKeys } from './session-keys.js';

const base: Plan = {
  profile: 'admin',
  region: 'eu-west-1',
  source: { kind: 'stored-key', profile: 'alice' },
  session: { profile: 'alice', mfaSerial: 'arn:aws:iam::123456789012:mfa/alice', durationSeconds: 28800 },
  hops: [{ profile: 'admin', roleArn: 'arn:aws:iam::111111111111:role/Admin', roleSessionName: 'rolehop-alice', durationSeconds: 3600 }],
  endpoints: {},
  warnings: [],
};

describe('planKeys', () => {
  it('is stable for the same plan and source', () => {
    assert.deepEqual(planKeys(base, 'stored:alice:AKIA1'), planKeys(structuredClone(base), 'stored:alice:AKIA1'));
  });
  it('shares the session key between roles behind the same source', () => {
    const other: Plan = { ...base, hops: [{ ...base.hops[0]!, roleArn: 'arn:aws:iam::222222222222:role/Admin' }] };
    const a = planKeys(base, 's');
    const b = planKeys(other, 's');
    assert.equal(a.session, b.session);
    assert.notEqual(a.final, b.final);
  });
  it('changes every key when the stored key or an input changes', () => {
    const a = planKeys(base, 'stored:alice:AKIA1');
    assert.notEqual(a.session, planKeys(base, 'stored:alice:AKIA2').session);
    assert.notEqual(a.final, planKeys({ ...base, hops: [{ ...base.hops[0]!, durationSeconds: 900 }] }, 'stored:alice:AKIA1').final);
    assert.notEqual(a.final, planKeys({ ...base, endpoints: { sts: 'http://127.0.0.1:1' } }, 'stored:alice:AKIA1').final);
  });
  it('has no final key for a plan without STS steps', () => {
    const k = planKeys({ ...base, session: undefined, hops: [] } as Plan, 's');
    assert.equal(k.final, undefined);
  });
});
