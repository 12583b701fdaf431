import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IamPolicyRecord } from '../aws/iam-roles-port.js';
import { parseBundle } from './bundle-file.js';
import { desiredIdentity, planIdentity, type LiveIdentity } from './identity-plan.js';
import { OWNER_TAG_KEY } from './model.js';

const ID = '111111111111';
const bundle = parseBundle(
  `version: 1\nname: std\nidentityAccount: "${ID}"\nroles:\n  - name: Admin\n    managedPolicies: [AdministratorAccess]\n  - name: Viewer\n    managedPolicies: [ReadOnlyAccess]\nidentity:\n  groups:\n    Admins: [Admin]\n`,
  'b.yaml',
);
const want = desiredIdentity(bundle, 'aws');

/** The identity account after a complete apply of `bundle`. */
function converged(): LiveIdentity {
  const policies: IamPolicyRecord[] = want.policies.map((p) => ({
    name: p.name,
    path: p.path,
    arn: `arn:aws:iam::${ID}:policy${p.path}${p.name}`,
    document: encodeURIComponent(JSON.stringify(p.document)),
    versions: [{ id: 'v1', isDefault: true }],
    tags: { [OWNER_TAG_KEY]: 'std' },
  }));
  return {
    policies,
    groups: want.groups.map((g) => ({
      name: g.name,
      path: g.path,
      arn: `arn:aws:iam::${ID}:group${g.path}${g.name}`,
      attachedPolicyArns: g.policyNames.map((n) => `arn:aws:iam::${ID}:policy${g.path}${n}`),
    })),
  };
}
const actions = (live: LiveIdentity) => planIdentity(bundle, live, 'aws').map((e) => `${e.kind} ${e.role} ${e.action}`);

describe('identity account side', () => {
  it('wants an assume policy per role on every account, the MFA guard, and the groups', () => {
    assert.deepEqual(
      want.policies.map((p) => p.name),
      ['rolehop-assume-Admin', 'rolehop-assume-Viewer', 'rolehop-std-require-mfa'],
    );
    assert.deepEqual((want.policies[0]!.document.Statement as { Resource: string[] }[])[0]!.Resource, ['arn:aws:iam::*:role/rolehop/Admin']);
    const guard = JSON.stringify(want.policies[2]!.document);
    assert.match(guard, /"BoolIfExists":\{"aws:MultiFactorAuthPresent":"false"\}/);
    assert.match(guard, /sts:GetSessionToken/);
    assert.deepEqual(want.groups, [{ name: 'Admins', path: '/rolehop/', policyNames: ['rolehop-assume-Admin', 'rolehop-std-require-mfa'] }]);
  });

  it('creates everything in an empty account, policies before groups', () => {
    const plan = planIdentity(bundle, { policies: [], groups: [] }, 'aws');
    assert.deepEqual(
      plan.map((e) => `${e.kind} ${e.action}`),
      ['policy create', 'policy create', 'policy create', 'group create'],
    );
    assert.deepEqual(
      plan[3]!.steps.map((s) => s.op),
      ['createGroup', 'attachGroupPolicy', 'attachGroupPolicy'],
    );
  });

  it('plans nothing once converged', () => {
    assert.ok(actions(converged()).every((a) => a.endsWith(' noop')));
  });

  it('updates a changed policy with a new version, making room when five exist', () => {
    const live = converged();
    const p = live.policies[0]!;
    p.document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
    p.versions = ['v1', 'v2', 'v3', 'v4', 'v5'].map((id) => ({ id, isDefault: id === 'v5' }));
    const [entry] = planIdentity(bundle, live, 'aws');
    assert.equal(entry!.action, 'update');
    assert.deepEqual(
      entry!.steps.map((s) => s.op),
      ['deletePolicyVersion', 'createPolicyVersion'],
    );
    assert.equal((entry!.steps[0] as { versionId: string }).versionId, 'v1');
  });

  it('leaves a same-named policy it does not own alone, and detaches from a group only its own policies', () => {
    const live = converged();
    live.policies[1]!.tags = {};
    live.groups[0]!.attachedPolicyArns.push(`arn:aws:iam::${ID}:policy/team/their-own`, live.policies[1]!.arn);
    const plan = planIdentity(bundle, live, 'aws');
    assert.equal(plan[1]!.action, 'conflict');
    assert.equal(plan.find((e) => e.kind === 'group')!.action, 'noop', 'neither the foreign nor the unowned policy is detached');
    live.policies[1]!.tags = { [OWNER_TAG_KEY]: 'std' };
    const group = planIdentity(bundle, live, 'aws').find((e) => e.kind === 'group')!;
    assert.deepEqual(group.steps, [{ op: 'detachGroupPolicy', policyArn: live.policies[1]!.arn }]);
  });
});
