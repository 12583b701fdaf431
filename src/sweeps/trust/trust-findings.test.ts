import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sortFindings, trustFindings, type TrustContext } from './trust-findings.js';

const ME = '111111111111';
const PEER = '222222222222';
const STRANGER = '999999999999';
const ctx: TrustContext = { account: ME, knownAccounts: new Set([ME, PEER]) };
const role = (Statement: unknown[]) => ({ name: 'R', arn: `arn:aws:iam::${ME}:role/R`, trust: { Version: '2012-10-17', Statement } });
const find = (Statement: unknown[], c = ctx) => trustFindings(role(Statement), c).map((f) => `${f.severity} ${f.principal}`);
const allow = (Principal: unknown, Condition?: unknown) => ({ Effect: 'Allow', Principal, Action: 'sts:AssumeRole', ...(Condition ? { Condition } : {}) });
const MFA = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };

describe('trust findings', () => {
  it('flags anyone, and a stranger, as high', () => {
    assert.deepEqual(find([allow('*')]), ['high *']);
    assert.deepEqual(find([allow({ AWS: '*' })]), ['high *']);
    assert.deepEqual(find([allow({ AWS: `arn:aws:iam::${STRANGER}:root` }, MFA)]), [`high arn:aws:iam::${STRANGER}:root`]);
    assert.deepEqual(find([allow({ AWS: STRANGER })]), [`high arn:aws:iam::${STRANGER}:root`], 'a bare account id is the account');
  });

  it('an allowed outside account needs an external id or MFA', () => {
    const c: TrustContext = { ...ctx, allowedAccounts: new Set([STRANGER]) };
    assert.deepEqual(find([allow({ AWS: STRANGER }, { StringEquals: { 'sts:ExternalId': 'x-1' } })], c), []);
    assert.deepEqual(find([allow({ AWS: STRANGER })], c), [`medium arn:aws:iam::${STRANGER}:root`]);
  });

  it('a wildcard pinned to the organisation is medium', () => {
    assert.deepEqual(find([allow({ AWS: '*' }, { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } })]), ['medium *']);
  });

  it('another account of ours needs MFA; with MFA or from the same account it is fine', () => {
    assert.deepEqual(find([allow({ AWS: `arn:aws:iam::${PEER}:root` })]), [`medium arn:aws:iam::${PEER}:root`]);
    assert.deepEqual(find([allow({ AWS: `arn:aws:iam::${PEER}:root` }, MFA)]), []);
    assert.deepEqual(find([allow({ AWS: `arn:aws:iam::${PEER}:role/ci` }, { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } })]), []);
    assert.deepEqual(find([allow({ AWS: `arn:aws:iam::${ME}:role/ci` })]), []);
  });

  it('flags a deleted principal, unexpected federation and unexpected services; ignores Deny', () => {
    assert.deepEqual(find([allow({ AWS: 'AROAABCDEFGHIJKLMNOPQ' })]), ['medium AROAABCDEFGHIJKLMNOPQ']);
    assert.deepEqual(find([allow({ Federated: `arn:aws:iam::${ME}:saml-provider/okta` })]), [`medium arn:aws:iam::${ME}:saml-provider/okta`]);
    assert.deepEqual(
      find([allow({ Federated: `arn:aws:iam::${ME}:saml-provider/okta` })], { ...ctx, expectedFederated: new Set([`arn:aws:iam::${ME}:saml-provider/okta`]) }),
      [],
    );
    assert.deepEqual(find([allow({ Service: 'lambda.amazonaws.com' })]), []);
    assert.deepEqual(find([allow({ Service: 'lambda.amazonaws.com' })], { ...ctx, expectedServices: new Set(['ec2.amazonaws.com']) }), [
      'low lambda.amazonaws.com',
    ]);
    assert.deepEqual(find([{ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }]), []);
  });

  it('names the statement by Sid or position, and sorts worst first', () => {
    const f = trustFindings(role([allow({ AWS: `arn:aws:iam::${PEER}:root` }), { ...allow('*'), Sid: 'Open' }]), ctx);
    assert.deepEqual(
      sortFindings(f).map((x) => `${x.severity} ${x.statement}`),
      ['high Open', 'medium 0'],
    );
  });
});
