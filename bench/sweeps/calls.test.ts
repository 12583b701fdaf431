import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { callDifferences, perAccount, tallyCalls } from './calls.js';

describe('sweeps benchmark call tallies', () => {
  it('counts calls by operation, sorted, and those answered with HTTP 400 or above as failed', () => {
    const t = tallyCalls([
      { action: 'ListRoles', status: 200 },
      { action: 'AssumeRole', status: 200 },
      { action: 'ListRoles', status: 403 },
      { action: 'GetSessionToken' },
      { action: 'DescribeImages', status: 500 },
    ]);
    assert.deepEqual(t, { byAction: { AssumeRole: 1, DescribeImages: 1, GetSessionToken: 1, ListRoles: 2 }, all: 5, failed: 2 });
    assert.deepEqual(Object.keys(t.byAction), ['AssumeRole', 'DescribeImages', 'GetSessionToken', 'ListRoles']);
    assert.deepEqual(tallyCalls([]), { byAction: {}, all: 0, failed: 0 });
  });

  it('names every operation whose count differs, including one only a side made', () => {
    assert.deepEqual(callDifferences({ AssumeRole: 10, ListRoles: 10 }, { ListRoles: 10, AssumeRole: 10 }), []);
    assert.deepEqual(callDifferences({ AssumeRole: 10, ListRoles: 11 }, { AssumeRole: 10, ListRoles: 10, GetSessionToken: 1 }), [
      'GetSessionToken 0≠1',
      'ListRoles 11≠10',
    ]);
  });

  it('gives counts per account to three decimals', () => {
    assert.deepEqual(perAccount({ GetSessionToken: 1, AssumeRole: 1000, DescribeInstances: 2000 }, 1000), {
      GetSessionToken: 0.001,
      AssumeRole: 1,
      DescribeInstances: 2,
    });
    assert.deepEqual(perAccount({ ListRoles: 2 }, 3), { ListRoles: 0.667 });
  });
});
