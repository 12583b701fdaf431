import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBundle } from './bundle-file.js';
import { desiredRole } from './desired-role.js';
import { planAccount } from './account-plan.js';
import { OWNER_TAG_KEY, type DesiredRole, type LiveRole } from './model.js';
import { compareRole, pruneSteps } from './role-diff.js';

const ID = '111111111111';
const ACCOUNT = '222222222222';
const bundle = parseBundle(
  `
version: 1
name: std
identityAccount: "${ID}"
roles:
  - name: Admin
    managedPolicies: [AdministratorAccess]
  - name: Viewer
    managedPolicies: [ReadOnlyAccess]
    inlinePolicies:
      extra:
        Statement:
          - { Effect: Allow, Action: "s3:ListBucket", Resource: "arn:\${partition}:s3:::logs-\${account}" }
`,
  'b.yaml',
);

/** The live role IAM would report for `d`, after AWS's rewrites. */
function liveOf(d: DesiredRole, over: Partial<LiveRole> = {}): LiveRole {
  return {
    name: d.name,
    path: d.path,
    arn: `arn:aws:iam::${ACCOUNT}:role${d.path}${d.name}`,
    roleId: 'AROAEXAMPLEEXAMPLE01',
    trust: JSON.parse(JSON.stringify(d.trust)),
    description: d.description || undefined,
    maxSessionDuration: d.maxSessionDuration,
    managedPolicyArns: [...d.managedPolicyArns],
    inlinePolicies: JSON.parse(JSON.stringify(d.inlinePolicies)),
    tags: { ...d.tags },
    ...over,
  } as LiveRole;
}
const desired = (name: string) =>
  desiredRole(
    bundle,
    bundle.roles.find((r) => r.name === name)!,
    ACCOUNT,
    'aws',
  );
const plan = (live: LiveRole[], extra: { adopt?: boolean; withPrune?: boolean; bootstrapRole?: string } = {}) =>
  planAccount({
    bundle,
    account: ACCOUNT,
    roles: ['Admin', 'Viewer'],
    live,
    partition: 'aws',
    bootstrapRole: extra.bootstrapRole ?? 'OrganizationAccountAccessRole',
    ...extra,
  });

describe('desiredRole', () => {
  it('fills the partition and the account into ARNs and documents, and adds the owner tag', () => {
    const d = desired('Viewer');
    assert.deepEqual(d.managedPolicyArns, ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    assert.match(JSON.stringify(d.inlinePolicies), /arn:aws:s3:::logs-222222222222/);
    assert.equal(d.tags[OWNER_TAG_KEY], 'std');
    const cn = desiredRole(bundle, bundle.roles[1]!, ACCOUNT, 'aws-cn');
    assert.deepEqual(cn.managedPolicyArns, ['arn:aws-cn:iam::aws:policy/ReadOnlyAccess']);
  });
});

describe('compareRole', () => {
  it('sees no change in a role as AWS returns it (reordered, one-element arrays as strings)', () => {
    const d = desired('Admin');
    const st = (d.trust.Statement as Record<string, unknown>[])[0]!;
    const rewritten = {
      Statement: [{ ...st, Action: [...(st.Action as string[])].reverse(), Principal: { AWS: `arn:aws:iam::${ID}:root` } }],
      Version: '2012-10-17',
    };
    assert.equal(compareRole(d, liveOf(d, { trust: rewritten }), 'aws').action, 'noop');
  });

  it('orders steps additive first: attach before detach, put before delete', () => {
    const d = desired('Viewer');
    const live = liveOf(d, { managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'], inlinePolicies: { old: { Statement: [] } } });
    const cmp = compareRole(d, live, 'aws');
    assert.equal(cmp.action, 'update');
    const ops = cmp.steps.map((s) => s.op);
    assert.ok(ops.indexOf('attachPolicy') < ops.indexOf('detachPolicy'));
    assert.ok(ops.indexOf('putInlinePolicy') < ops.indexOf('deleteInlinePolicy'));
  });

  it('sends description and duration together whichever changed', () => {
    const d = desired('Admin');
    const cmp = compareRole(d, liveOf(d, { maxSessionDuration: 7200 }), 'aws');
    assert.deepEqual(cmp.steps, [{ op: 'updateRole', description: d.description, maxSessionDuration: 3600 }]);
    assert.match(cmp.changes[0]!.summary, /MaxSessionDuration 7200 → 3600/);
  });

  it('reports a principal IAM rewrote to a unique id as dangling', () => {
    const d = desired('Admin');
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'AROAABCDEFGHIJKLMNOP1' }, Action: 'sts:AssumeRole' }] };
    const cmp = compareRole(d, liveOf(d, { trust }), 'aws');
    assert.deepEqual(cmp.dangling, ['AROAABCDEFGHIJKLMNOP1']);
    assert.match(cmp.changes[0]!.summary, /dangling principal AROA/);
  });

  it('prunes policies before the role', () => {
    const d = desired('Viewer');
    assert.deepEqual(
      pruneSteps(liveOf(d)).map((s) => s.op),
      ['detachPolicy', 'deleteInlinePolicy', 'deleteRole'],
    );
  });
});

describe('planAccount', () => {
  it('creates missing roles and leaves unchanged ones alone', () => {
    const entries = plan([liveOf(desired('Admin'))]);
    assert.deepEqual(
      entries.map((e) => `${e.role} ${e.action}`),
      ['Admin noop', 'Viewer create'],
    );
  });

  it('treats a same-named role without the owner tag as a conflict, in any case of the name', () => {
    const d = desired('Admin');
    const foreign = liveOf(d, { name: 'ADMIN', tags: {} });
    const [admin] = plan([foreign]);
    assert.equal(admin!.action, 'conflict');
    assert.deepEqual(admin!.steps, []);
  });

  it('adopts an untagged same-named role at the same path only with adopt', () => {
    const d = desired('Admin');
    const untagged = liveOf(d, { tags: {} });
    assert.equal(plan([untagged])[0]!.action, 'conflict');
    const adopted = plan([untagged], { adopt: true })[0]!;
    assert.equal(adopted.action, 'update');
    assert.deepEqual(adopted.steps, [{ op: 'tagRole', tags: { [OWNER_TAG_KEY]: 'std' } }]);
    assert.equal(plan([liveOf(d, { tags: {}, path: '/other/' })], { adopt: true })[0]!.action, 'conflict');
  });

  it('never plans a change to the role the run comes in through', () => {
    const entries = plan([], { bootstrapRole: 'arn:aws:iam::222222222222:role/admin' });
    assert.equal(entries[0]!.action, 'conflict');
    assert.match(entries[0]!.reason!, /comes in through/);
  });

  it('prunes owned roles the bundle dropped, never foreign, reserved or other bundles’ roles', () => {
    const owned = liveOf(desired('Admin'), { name: 'Old' });
    const other = liveOf(desired('Admin'), { name: 'Theirs', tags: { [OWNER_TAG_KEY]: 'another' } });
    const foreign = liveOf(desired('Admin'), { name: 'Mine', tags: {} });
    const reserved = liveOf(desired('Admin'), { name: 'Svc', path: '/aws-service-role/' });
    const entries = plan([owned, other, foreign, reserved], { withPrune: true });
    assert.deepEqual(
      entries.filter((e) => e.action === 'prune').map((e) => e.role),
      ['Old'],
    );
  });
});
