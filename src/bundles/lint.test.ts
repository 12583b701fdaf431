import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, isRolehopError } from '../errors.js';
import { parseBundle } from './bundle-file.js';
import { assertLintClean, formatFinding, lintBundle, type LintFinding } from './lint.js';
import type { Bundle, BundleRole, PolicyDocument } from './model.js';

const HUB = '111111111111';
const ADMIN_ARN = 'arn:${partition}:iam::aws:policy/AdministratorAccess';

function role(name: string, over: Partial<BundleRole> = {}): BundleRole {
  return {
    name,
    path: '/rolehop/',
    description: '',
    trust: { accounts: [HUB], mfa: true },
    managedPolicies: [],
    inlinePolicies: {},
    maxSessionDuration: 3600,
    tags: {},
    ...over,
  };
}

function bundle(roles: BundleRole[], over: Partial<Bundle> = {}): Bundle {
  return { name: 'std', file: 'std.yaml', roles, ...over };
}

/** The codes found for `roles`, as `level:code`. */
function codes(roles: BundleRole[], over: Partial<Bundle> = {}): string[] {
  return lintBundle(bundle(roles, over)).map((f) => `${f.level}:${f.code}`);
}

const allow = (Action: unknown, Resource: unknown = '*'): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });

test('a plain MFA role has no findings', () => {
  assert.deepEqual(lintBundle(bundle([role('A', { managedPolicies: [ADMIN_ARN] }), role('B')])), []);
});

test('role names that differ only in case clash: the parser names the line, lint catches a bundle built in code', () => {
  assert.throws(
    () => parseBundle(`version: 1\nidentityAccount: "${HUB}"\nroles:\n  - name: Operator\n  - name: operator\n    path: /other/\n`, 'std.yaml'),
    (e: Error & { code?: string }) => e.code === 'ERR_BUNDLE' && e.message.startsWith('std.yaml:5: roles[1].name: role operator clashes with Operator'),
  );
  const [first, second] = [role('Operator'), role('operator', { path: '/other/' })];
  const findings = lintBundle({ name: 'default', file: 'std.yaml', roles: [first, second] });
  assert.deepEqual(findings, [
    {
      level: 'error',
      role: 'operator',
      code: 'name-clash',
      message: 'role names Operator and operator differ only in case; IAM role names are case-insensitive, so an account cannot hold both',
    },
  ]);
  assert.deepEqual(codes([role('A'), role('A')]), ['error:name-clash']);
});

test('maxSessionDuration outside 3600–43200 is an error', () => {
  assert.deepEqual(codes([role('A', { maxSessionDuration: 900 }), role('B', { maxSessionDuration: 43200 }), role('C', { maxSessionDuration: 43201 })]), [
    'error:session-duration',
    'error:session-duration',
  ]);
});

test('an MFA age under the 8 h MFA session is a warning that says when the role stops working', () => {
  const [f] = lintBundle(bundle([role('A', { trust: { accounts: [HUB], mfa: true, maxMfaAgeSeconds: 3600 } })]));
  assert.equal(f?.code, 'mfa-age-short');
  assert.equal(f?.level, 'warning');
  assert.match(f?.message ?? '', /stops working 1 h into a session/);
  assert.deepEqual(codes([role('A', { trust: { accounts: [HUB], mfa: true, maxMfaAgeSeconds: 28800 } })]), []);
});

test('a trust without MFA is a warning', () => {
  assert.deepEqual(codes([role('A', { trust: { accounts: [HUB], mfa: false } })]), ['warning:mfa-off']);
});

test('a trust policy over 2,048 characters is an error naming its size', () => {
  const accounts = Array.from({ length: 60 }, (_, i) => String(100000000000 + i));
  const [f] = lintBundle(bundle([role('A', { trust: { accounts, mfa: true } })]));
  assert.equal(f?.code, 'trust-size');
  assert.equal(f?.level, 'error');
  assert.match(f?.message ?? '', /^trust policy is \d{4} characters, over IAM's default quota of 2048 \(raisable to 4096 per account\)/);
  // 55 accounts fit in aws; aws-us-gov ARNs are longer and push the same trust over.
  const some = accounts.slice(0, 55);
  assert.deepEqual(codes([role('A', { trust: { accounts: some, mfa: true } })]), []);
  assert.deepEqual(
    lintBundle(bundle([role('A', { trust: { accounts: some, mfa: true } })]), 'aws-us-gov').map((x) => x.code),
    ['trust-size'],
  );
  const many = Array.from({ length: 130 }, (_, i) => String(100000000000 + i));
  assert.match(lintBundle(bundle([role('A', { trust: { accounts: many, mfa: true } })]))[0]?.message ?? '', /and over the 4096 it can be raised to/);
});

test('a trust principal outside trust.accounts is a warning', () => {
  assert.deepEqual(codes([role('A', { trust: { accounts: [HUB], principals: ['arn:aws:iam::222222222222:role/X'], mfa: true } })]), [
    'warning:principal-account',
  ]);
});

test('a reserved path is an error; path and name over 64 characters a Switch Role warning', () => {
  assert.deepEqual(codes([role('A', { path: '/aws-reserved/sso/' }), role('B', { path: '/service-role/' })]), ['error:reserved-path', 'error:reserved-path']);
  assert.deepEqual(codes([role('R'.repeat(50), { path: '/platform/rolehop/' })]), ['warning:switch-role-length']);
  assert.deepEqual(codes([role('R'.repeat(56), { path: '/rolehop/' })]), []);
});

test('more than 10 managed policies is an error', () => {
  const arns = (n: number): string[] => Array.from({ length: n }, (_, i) => `arn:\${partition}:iam::\${account}:policy/P${i}`);
  assert.deepEqual(codes([role('A', { managedPolicies: arns(10) })]), []);
  const [f] = lintBundle(bundle([role('A', { managedPolicies: arns(11) })]));
  assert.equal(f?.code, 'managed-policy-count');
  assert.match(f?.message ?? '', /11 managed policies, over IAM's default quota of 10 per role \(raisable to 20/);
});

test('inline policies over 10,240 characters together are an error', () => {
  const big = allow(Array.from({ length: 300 }, (_, i) => `s3:GetObjectVersion${i}`));
  assert.deepEqual(codes([role('A', { inlinePolicies: { a: big } })]), []);
  assert.deepEqual(codes([role('A', { inlinePolicies: { a: big, b: big } })]), ['error:inline-size']);
});

test('over 50 tags, counting the owner tag, is an error', () => {
  const tags = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
  assert.deepEqual(codes([role('A', { tags: tags(49) })]), []);
  assert.deepEqual(codes([role('A', { tags: tags(50) })]), ['error:tag-count']);
});

test('a non-administrator role whose inline policy can grant itself more is an escalation warning', () => {
  const admin = role('Admin', { managedPolicies: [ADMIN_ARN], inlinePolicies: { all: allow('*') } });
  for (const action of ['*', 'iam:*', 'iam:Put*Policy', 'IAM:attachrolepolicy', 'iam:CreatePolicyVersion', ['s3:*', 'iam:UpdateAssumeRolePolicy']]) {
    const findings = lintBundle(bundle([admin, role('Op', { inlinePolicies: { p: allow(action) } })]));
    assert.deepEqual(
      findings.map((f) => `${f.role}:${f.code}`),
      ['Op:escalation'],
      JSON.stringify(action),
    );
    assert.match(findings[0]?.message ?? '', /^inline policy p could escalate to administrator: it allows /);
  }
  // NotAction that leaves IAM in.
  const notAction: PolicyDocument = { Statement: { Effect: 'Allow', NotAction: ['organizations:*'], Resource: '*' } };
  assert.deepEqual(codes([role('Op', { inlinePolicies: { p: notAction } })]), ['warning:escalation']);
  const notIam: PolicyDocument = { Statement: { Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' } };
  assert.deepEqual(codes([role('Op', { inlinePolicies: { p: notIam } })]), []);
  // Reading IAM is fine; a Deny is fine.
  assert.deepEqual(codes([role('Op', { inlinePolicies: { p: allow(['iam:Get*', 'iam:List*']) } })]), []);
  assert.deepEqual(codes([role('Op', { inlinePolicies: { p: { Statement: { Effect: 'Deny', Action: 'iam:*', Resource: '*' } } } })]), []);
});

test('iam:PassRole on every role escalates; scoped to a path it does not', () => {
  const admin = role('Admin', { managedPolicies: [ADMIN_ARN] });
  const pass = (Resource: unknown): string[] => codes([admin, role('Op', { inlinePolicies: { p: allow('iam:PassRole', Resource) } })]);
  assert.deepEqual(pass('*'), ['warning:escalation']);
  assert.deepEqual(pass('arn:aws:iam::*:role/*'), ['warning:escalation']);
  assert.deepEqual(pass('arn:${partition}:iam::${account}:role/rolehop/*'), ['warning:escalation']);
  assert.deepEqual(pass('arn:${partition}:iam::${account}:role/app/*'), []);
  assert.deepEqual(pass(['arn:aws:iam::222222222222:role/app/worker']), []);
});

test('a Deny on Bool aws:MultiFactorAuthPresent false is a warning; BoolIfExists is not', () => {
  const deny = (operator: string, value: unknown): PolicyDocument => ({
    Statement: [{ Effect: 'Deny', NotAction: 'iam:*MFADevice', Resource: '*', Condition: { [operator]: { 'aws:MultiFactorAuthPresent': value } } }],
  });
  assert.deepEqual(codes([role('A', { inlinePolicies: { g: deny('Bool', 'false') } })]), ['warning:mfa-deny-bool']);
  assert.deepEqual(codes([role('A', { inlinePolicies: { g: deny('Bool', false) } })]), ['warning:mfa-deny-bool']);
  assert.deepEqual(codes([role('A', { inlinePolicies: { g: deny('BoolIfExists', 'false') } })]), []);
});

test('identity groups must name roles of the bundle; policyName needs {role} with several roles', () => {
  const identity = { account: HUB, groups: { Ops: ['Operater', 'Admin'] }, policyName: 'assume', mfaGuard: true };
  const findings = lintBundle(bundle([role('Admin'), role('Operator')], { identity }));
  assert.deepEqual(
    findings.map((f) => [f.code, f.message]),
    [
      ['group-role', 'identity group Ops names role Operater, which is not in the bundle (did you mean Operator?)'],
      ['policy-name', "identity.policyName assume has no {role}: every role's assume policy would get the same name"],
    ],
  );
  assert.deepEqual(codes([role('A')], { identity: { ...identity, groups: {} } }), []);
});

test('assertLintClean throws one ERR_BUNDLE listing every error, and ignores warnings', () => {
  const b = bundle([role('A', { maxSessionDuration: 60, trust: { accounts: [HUB], mfa: false } }), role('a')]);
  const findings: LintFinding[] = lintBundle(b);
  assert.throws(
    () => assertLintClean(b, findings),
    (e: unknown) => {
      assert.ok(isRolehopError(e));
      assert.equal(e.code, ErrorCodes.BUNDLE);
      assert.deepEqual(e.message.split('\n'), [
        "std.yaml: role A: maxSessionDuration 60 is outside IAM's 3600–43200 seconds (1–12 h) [session-duration]",
        'std.yaml: role a: role names A and a differ only in case; IAM role names are case-insensitive, so an account cannot hold both [name-clash]',
      ]);
      return true;
    },
  );
  assertLintClean(b, [{ level: 'warning', role: 'A', code: 'mfa-off', message: 'x' }]);
  assert.equal(formatFinding({ level: 'error', code: 'group-role', message: 'm' }), 'm [group-role]');
});
