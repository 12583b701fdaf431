import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, isRolehopError, type RolehopError } from '../errors.js';
import { parseBundle } from './bundle-file.js';

const FILE = 'bundles/std.yaml';

/** The error parseBundle throws for `text`; fails the test when it parses. */
function failure(text: string): RolehopError {
  try {
    parseBundle(text, FILE);
  } catch (e) {
    assert.ok(isRolehopError(e), `not a RolehopError: ${String(e)}`);
    assert.equal(e.code, ErrorCodes.BUNDLE);
    return e;
  }
  assert.fail('parsed without an error');
}

const MINIMAL = `version: 1
identityAccount: "111111111111"
roles:
  - name: RolehopSpectator
    managedPolicies: [job-function/ViewOnlyAccess]
`;

test('a minimal file gets every default', () => {
  assert.deepEqual(parseBundle(MINIMAL, FILE), {
    name: 'default',
    file: FILE,
    roles: [
      {
        name: 'RolehopSpectator',
        path: '/rolehop/',
        description: '',
        trust: { accounts: ['111111111111'], mfa: true },
        managedPolicies: ['arn:${partition}:iam::aws:policy/job-function/ViewOnlyAccess'],
        inlinePolicies: {},
        maxSessionDuration: 3600,
        tags: {},
      },
    ],
  });
});

test('every key given is kept; the bundle path is the roles default; identity gets the identity account', () => {
  const b = parseBundle(
    `version: 1
name: std.v2
identityAccount: "111111111111"
path: /ops/
accounts: { ous: [ou-ab12-abcd1234], exclude: ["222222222222"] }
roles:
  - name: Admin
    description: Full access
    trust:
      accounts: ["333333333333"]
      principals: ["arn:\${partition}:iam::333333333333:role/Break"]
      mfa: false
      maxMfaAgeSeconds: 43200
      externalId: ext-1
    managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:\${partition}:iam::\${account}:policy/Extra"]
    permissionsBoundary: Boundary
    maxSessionDuration: 7200
    tags: { team: platform }
    accounts: { names: ["prod-*"] }
  - name: Other
    path: /
identity:
  groups: { Admins: [Admin] }
  policyName: assume-{role}
  mfaGuard: false
`,
    FILE,
  );
  assert.equal(b.name, 'std.v2');
  assert.deepEqual(b.accounts, { ous: ['ou-ab12-abcd1234'], exclude: ['222222222222'] });
  assert.deepEqual(b.roles[0], {
    name: 'Admin',
    path: '/ops/',
    description: 'Full access',
    trust: {
      accounts: ['333333333333'],
      principals: ['arn:${partition}:iam::333333333333:role/Break'],
      mfa: false,
      maxMfaAgeSeconds: 43200,
      externalId: 'ext-1',
    },
    managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:${partition}:iam::${account}:policy/Extra'],
    inlinePolicies: {},
    permissionsBoundary: 'arn:${partition}:iam::aws:policy/Boundary',
    maxSessionDuration: 7200,
    tags: { team: 'platform' },
    accounts: { names: ['prod-*'] },
  });
  assert.equal(b.roles[1]?.path, '/');
  assert.deepEqual(b.identity, { account: '111111111111', groups: { Admins: ['Admin'] }, policyName: 'assume-{role}', mfaGuard: false });
});

test('identity defaults: no groups, rolehop-assume-{role}, MFA guard on', () => {
  const b = parseBundle(`${MINIMAL}identity: {}\n`, FILE);
  assert.deepEqual(b.identity, { account: '111111111111', groups: {}, policyName: 'rolehop-assume-{role}', mfaGuard: true });
});

test('identityAccount may be left out when every role names its trusted accounts', () => {
  const b = parseBundle('version: 1\nroles:\n  - name: A\n    trust: { accounts: ["222222222222"] }\n', FILE);
  assert.deepEqual(b.roles[0]?.trust, { accounts: ['222222222222'], mfa: true });
  assert.equal(b.identity, undefined);
});

test('an inline policy document is kept as written', () => {
  const b = parseBundle(
    `${MINIMAL}    inlinePolicies:
      deny-secrets:
        Version: "2012-10-17"
        Statement:
          Effect: Deny
          Action: secretsmanager:GetSecretValue
          Resource: "*"
`,
    FILE,
  );
  assert.deepEqual(b.roles[0]?.inlinePolicies, {
    'deny-secrets': { Version: '2012-10-17', Statement: { Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' } },
  });
});

test('a YAML syntax error names its line', () => {
  const e = failure('version: 1\nroles:\n  - name: A\n    tags: { a: b\n  - name: B\n');
  assert.match(e.message, /^bundles\/std\.yaml:\d+: YAML syntax: /);
  const line = Number(/:(\d+):/.exec(e.message)?.[1]);
  assert.ok(line >= 4, `line ${line}`);
});

test('a duplicate key is a YAML error on its line', () => {
  const e = failure('version: 1\nroles: []\nversion: 1\n');
  assert.match(e.message, /^bundles\/std\.yaml:3: YAML syntax: .*unique/i);
});

test('an unknown top-level key names its line and suggests the camelCase key', () => {
  const e = failure(`${MINIMAL}identity_account: "1"\n`);
  assert.equal(e.message, 'bundles/std.yaml:6: identity_account: unknown key (did you mean "identityAccount"?)');
});

test('an unknown key inside a role names its line and key path', () => {
  const e = failure(`${MINIMAL}    trust:\n      mfa: true\n      mfaAge: 3600\n`);
  assert.equal(e.message, 'bundles/std.yaml:8: roles[0].trust.mfaAge: unknown key (did you mean "maxMfaAgeSeconds"?)');
});

test('several problems: one line each, in file order', () => {
  const e = failure(`version: 1
identityAccount: "111111111111"
roles:
  - name: A
    maxSessionDurations: 3600
  - name: "bad name"
    path: rolehop
`);
  assert.deepEqual(e.message.split('\n'), [
    'bundles/std.yaml:5: roles[0].maxSessionDurations: unknown key (did you mean "maxSessionDuration"?)',
    'bundles/std.yaml:6: roles[1].name: must be 1–64 letters, digits or _+=,.@-',
    'bundles/std.yaml:7: roles[1].path: must start and end with "/" (e.g. /rolehop/), printable ASCII without spaces',
  ]);
});

test('identityAccount as a YAML number: an error with a hint to quote it', () => {
  const e = failure('version: 1\nidentityAccount: 011111111111\nroles:\n  - name: A\n');
  assert.equal(e.message, 'bundles/std.yaml:2: identityAccount: must be a string, not the number 11111111111');
  assert.match(e.hint ?? '', /identityAccount: "011111111111"/);
});

test('an account id in a list as a number: the hint quotes a list item', () => {
  const e = failure('version: 1\nroles:\n  - name: A\n    trust:\n      accounts: [222222222222]\n');
  assert.equal(e.message, 'bundles/std.yaml:5: roles[0].trust.accounts[0]: must be a string, not the number 222222222222');
  assert.match(e.hint ?? '', /- "222222222222"/);
});

test('an inline policy statement without Effect names the statement line', () => {
  const e = failure(`${MINIMAL}    inlinePolicies:
      p:
        Statement:
          - Action: s3:GetObject
            Resource: "*"
`);
  assert.equal(e.message, 'bundles/std.yaml:9: roles[0].inlinePolicies.p.Statement[0].Effect: required');
});

test('inline policy documents: Statement required and not empty, Effect Allow|Deny, Action or NotAction', () => {
  const e = failure(`${MINIMAL}    inlinePolicies:
      a: { Version: "2012-10-17" }
      b: { Statement: [] }
      c: { Statement: { Effect: allow, Action: "*", Resource: "*" } }
      d: { Statement: { Effect: Allow, Resource: "*" } }
      e: { Statement: { Effect: Allow, Action: "*", NotAction: "s3:*", Resource: "*" } }
      f: { Statement: { Effect: Allow, Action: [1], Resource: "*" } }
`);
  assert.deepEqual(e.message.split('\n'), [
    'bundles/std.yaml:7: roles[0].inlinePolicies.a.Statement: required',
    'bundles/std.yaml:8: roles[0].inlinePolicies.b.Statement: must not be an empty list',
    'bundles/std.yaml:9: roles[0].inlinePolicies.c.Statement.Effect: must be Allow or Deny',
    'bundles/std.yaml:10: roles[0].inlinePolicies.d.Statement.Action: required (or NotAction)',
    'bundles/std.yaml:11: roles[0].inlinePolicies.e.Statement.NotAction: cannot be given together with Action',
    'bundles/std.yaml:12: roles[0].inlinePolicies.f.Statement.Action[0]: must be a string, not the number 1',
  ]);
});

test('the owner tag and aws: tags are refused', () => {
  const e = failure(`${MINIMAL}    tags:\n      rolehop:bundle: x\n      aws:foo: y\n`);
  assert.deepEqual(e.message.split('\n'), [
    `bundles/std.yaml:7: roles[0].tags["rolehop:bundle"]: is reserved: rolehop sets it to the bundle's name`,
    'bundles/std.yaml:8: roles[0].tags["aws:foo"]: tag keys starting with "aws:" are reserved by AWS',
  ]);
});

test('missing required keys are reported at their parent', () => {
  assert.equal(failure('name: x\n').message, ['bundles/std.yaml:1: version: required', 'bundles/std.yaml:1: roles: required'].join('\n'));
  assert.equal(
    failure('version: 2\nroles: []\n').message,
    ['bundles/std.yaml:1: version: must be 1', 'bundles/std.yaml:2: roles: must list at least one role'].join('\n'),
  );
  assert.equal(failure('version: 1\nroles:\n  - description: x\n').message, 'bundles/std.yaml:3: roles[0].name: required');
});

test('without identityAccount every role needs trust.accounts, and identity cannot be given', () => {
  const e = failure('version: 1\nroles:\n  - name: A\n  - name: B\n    trust: { accounts: ["222222222222"] }\nidentity: {}\n');
  assert.deepEqual(e.message.split('\n'), [
    'bundles/std.yaml:3: roles[0].trust.accounts: required when identityAccount is not given',
    'bundles/std.yaml:6: identity: needs identityAccount',
  ]);
});

test('value checks: managed policy forms, external id, MFA age, bundle name, wrong types', () => {
  const e = failure(`version: 1
name: "my bundle"
identityAccount: "111111111111"
roles:
  - name: A
    managedPolicies: ["arn:aws:iam::aws:role/X", "arn:\${partition}:iam::\${region}:policy/X"]
    trust: { mfa: "yes", maxMfaAgeSeconds: 0, externalId: "x" }
    description: 5
`);
  assert.deepEqual(e.message.split('\n'), [
    'bundles/std.yaml:2: name: must be 1–64 letters, digits or _.-',
    'bundles/std.yaml:6: roles[0].managedPolicies[0]: must be a policy ARN (arn:${partition}:iam::${account}:policy/Name) or an AWS managed policy name (ReadOnlyAccess, job-function/ViewOnlyAccess)',
    'bundles/std.yaml:6: roles[0].managedPolicies[1]: must be a policy ARN (arn:${partition}:iam::${account}:policy/Name) or an AWS managed policy name (ReadOnlyAccess, job-function/ViewOnlyAccess)',
    'bundles/std.yaml:7: roles[0].trust.mfa: must be true or false, not "yes"',
    'bundles/std.yaml:7: roles[0].trust.maxMfaAgeSeconds: must be positive',
    'bundles/std.yaml:7: roles[0].trust.externalId: must be 2–1224 characters of letters, digits and _+=,.@:/-',
    'bundles/std.yaml:8: roles[0].description: must be a string, not the number 5',
  ]);
});

test('an empty file and a file that is not a map', () => {
  assert.equal(failure('').message, 'bundles/std.yaml:1: the file is empty');
  assert.equal(failure('# only a comment\n').message, 'bundles/std.yaml:1: the file is empty');
  assert.equal(failure('- a\n- b\n').message, 'bundles/std.yaml:1: must be a map, not a list');
});

test('an inline policy name IAM would refuse names its line', () => {
  const e = failure(`${MINIMAL}    inlinePolicies:\n      "bad name": { Statement: { Effect: Allow, Action: "*", Resource: "*" } }\n`);
  assert.equal(e.message, 'bundles/std.yaml:7: roles[0].inlinePolicies["bad name"]: policy names are letters, digits or _+=,.@-');
});
