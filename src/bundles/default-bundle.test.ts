import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, isRolehopError } from '../errors.js';
import { parseBundle } from './bundle-file.js';
import { defaultBundleText } from './default-bundle.js';
import { lintBundle } from './lint.js';

const HUB = '011111111111';

test('the default bundle parses and lints without findings in every partition', () => {
  const b = parseBundle(defaultBundleText(HUB), 'rolehop.yaml');
  for (const partition of ['aws', 'aws-cn', 'aws-us-gov'] as const) assert.deepEqual(lintBundle(b, partition), [], partition);
});

test('the default bundle: three MFA tiers trusting only the identity account, one group each', () => {
  const b = parseBundle(defaultBundleText(HUB), 'rolehop.yaml');
  assert.equal(b.name, 'standard');
  assert.deepEqual(
    b.roles.map((r) => [r.name, r.path, r.managedPolicies, r.maxSessionDuration]),
    [
      ['RolehopAdministrator', '/rolehop/', ['arn:${partition}:iam::aws:policy/AdministratorAccess'], 3600],
      ['RolehopOperator', '/rolehop/', ['arn:${partition}:iam::aws:policy/PowerUserAccess'], 3600],
      ['RolehopSpectator', '/rolehop/', ['arn:${partition}:iam::aws:policy/job-function/ViewOnlyAccess'], 14400],
    ],
  );
  for (const r of b.roles) assert.deepEqual(r.trust, { accounts: [HUB], mfa: true }, r.name);
  assert.deepEqual(b.roles[1]?.inlinePolicies['pass-app-roles'], {
    Version: '2012-10-17',
    Statement: [{ Sid: 'PassApplicationRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:${partition}:iam::${account}:role/app/*' }],
  });
  assert.deepEqual(b.identity, {
    account: HUB,
    groups: { RolehopAdministrators: ['RolehopAdministrator'], RolehopOperators: ['RolehopOperator'], RolehopSpectators: ['RolehopSpectator'] },
    policyName: 'rolehop-assume-{role}',
    mfaGuard: true,
  });
});

test('the commented-out examples are valid keys too', () => {
  // Uncomment the accounts filter and the tags: the file still parses.
  const text = defaultBundleText(HUB)
    .replace(/^# accounts:$/m, 'accounts:')
    .replace(/^# {3}(\w+:.*)$/gm, '  $1')
    .replace(/^ {4}# tags:$/m, '    tags:')
    .replace(/^ {4}# {3}team: platform$/m, '      team: platform');
  const b = parseBundle(text, 'rolehop.yaml');
  assert.deepEqual(b.accounts, { ous: ['ou-abcd-12345678'], tags: { environment: 'prod' }, names: ['prod-*'], exclude: ['222222222222'] });
  assert.deepEqual(b.roles[0]?.tags, { team: 'platform' });
});

test('an identity account that is not 12 digits is a usage error', () => {
  assert.throws(
    () => defaultBundleText('12345'),
    (e: unknown) => isRolehopError(e) && e.code === ErrorCodes.USAGE,
  );
});
