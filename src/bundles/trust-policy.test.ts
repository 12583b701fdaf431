import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trustPolicyFor } from './trust-policy.js';

const ACTIONS = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'];

test('MFA, MFA age and external id: one Allow statement with the three conditions', () => {
  const doc = trustPolicyFor({ accounts: ['111111111111'], mfa: true, maxMfaAgeSeconds: 43200, externalId: 'acme-1' }, 'aws');
  assert.equal(
    JSON.stringify(doc),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111111111111:root'] },
          Action: ACTIONS,
          Condition: {
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
            NumericLessThan: { 'aws:MultiFactorAuthAge': '43200' },
            StringEquals: { 'sts:ExternalId': 'acme-1' },
          },
        },
      ],
    }),
  );
});

test('without MFA or other conditions there is no Condition at all', () => {
  const doc = trustPolicyFor({ accounts: ['111111111111'], mfa: false }, 'aws');
  assert.deepEqual(doc, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root'] }, Action: ACTIONS }] });
});

test('account roots use the partition, sorted and without duplicates', () => {
  const doc = trustPolicyFor({ accounts: ['333333333333', '111111111111', '333333333333'], mfa: true }, 'aws-cn');
  const statement = (doc['Statement'] as Array<Record<string, unknown>>)[0];
  assert.deepEqual(statement?.['Principal'], { AWS: ['arn:aws-cn:iam::111111111111:root', 'arn:aws-cn:iam::333333333333:root'] });
});

test('principals replace the account roots; ${partition} is filled in', () => {
  const doc = trustPolicyFor(
    { accounts: ['111111111111'], principals: ['arn:${partition}:iam::111111111111:role/B', 'arn:aws-us-gov:iam::111111111111:user/a'], mfa: true },
    'aws-us-gov',
  );
  const statement = (doc['Statement'] as Array<Record<string, unknown>>)[0];
  assert.deepEqual(statement?.['Principal'], { AWS: ['arn:aws-us-gov:iam::111111111111:role/B', 'arn:aws-us-gov:iam::111111111111:user/a'] });
});

test('deterministic: the same spec renders the same JSON', () => {
  const spec = { accounts: ['222222222222', '111111111111'], mfa: true, externalId: 'x1' };
  assert.equal(JSON.stringify(trustPolicyFor(spec, 'aws')), JSON.stringify(trustPolicyFor({ ...spec, accounts: ['111111111111', '222222222222'] }, 'aws')));
});
