import type { IamGroupRecord, IamPolicyRecord } from '../aws/iam-roles-port.js';
import type { Partition } from '../aws/partition.js';
import type { PlannedRole } from './account-plan.js';
import { policyDiff } from './line-diff.js';
import { OWNER_TAG_KEY, type Bundle, type BundleRole, type PolicyDocument } from './model.js';
import { decodePolicyDocument, policiesEqual } from '../policy/policy-normalize.js';
import type { RoleChange } from './role-diff.js';
import type { RoleStep } from './role-steps.js';
import { TRUST_ACTIONS } from './trust-policy.js';

/** IAM keeps at most five versions of a managed policy. */
const MAX_POLICY_VERSIONS = 5;

/**
 * What a user may still do without an MFA session under the guard: see
 * and manage their own MFA device, password and access keys, and get the
 * MFA session itself. Everything else is denied until they sign in with MFA.
 */
export const MFA_SELF_SERVICE_ACTIONS = [
  'iam:ChangePassword',
  'iam:CreateAccessKey',
  'iam:CreateVirtualMFADevice',
  'iam:DeleteAccessKey',
  'iam:EnableMFADevice',
  'iam:GetAccessKeyLastUsed',
  'iam:GetAccountPasswordPolicy',
  'iam:GetUser',
  'iam:ListAccessKeys',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'iam:UpdateAccessKey',
  'sts:GetSessionToken',
] as const;

/**
 * The identity policy that lets a group assume `role` in every account. The
 * account part of the ARN is a wildcard on purpose: the member account's
 * trust policy (the identity account, with MFA) is what decides, and a
 * policy that listed the selected accounts would change with every partial
 * selection and plan as drift.
 */
export function assumePolicyFor(role: BundleRole, partition: Partition): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AssumeBundleRole', Effect: 'Allow', Action: [...TRUST_ACTIONS], Resource: [`arn:${partition}:iam::*:role${role.path}${role.name}`] }],
  };
}

/** Deny everything but self-service (see {@link MFA_SELF_SERVICE_ACTIONS}) without MFA; `BoolIfExists` also catches long-term keys, where the key is absent. */
export function mfaGuardPolicy(partition: Partition): PolicyDocument {
  const self = [`arn:${partition}:iam::*:user/\${aws:username}`, `arn:${partition}:iam::*:mfa/\${aws:username}`];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ManageOwnCredentials',
        Effect: 'Allow',
        Action: MFA_SELF_SERVICE_ACTIONS.filter((a) => a.startsWith('iam:') && a !== 'iam:GetAccountPasswordPolicy' && a !== 'iam:ListVirtualMFADevices'),
        Resource: self,
      },
      { Sid: 'SeeMfaDevicesAndPasswordRules', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'], Resource: '*' },
      {
        Sid: 'DenyAllButSelfServiceWithoutMfa',
        Effect: 'Deny',
        NotAction: [...MFA_SELF_SERVICE_ACTIONS],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ],
  };
}

/** A customer managed policy the bundle wants in the identity account. */
export interface DesiredPolicy {
  name: string;
  path: string;
  document: PolicyDocument;
  description: string;
}

/** A group the bundle wants, with the bundle policies attached to it. */
export interface DesiredGroup {
  name: string;
  path: string;
  policyNames: string[];
}

/** The name of the MFA guard policy of a bundle. */
export const mfaGuardName = (bundle: Bundle) => `rolehop-${bundle.name}-require-mfa`;

/** What the bundle wants in its identity account: one assume policy per role, the MFA guard, the groups. Pure. */
export function desiredIdentity(bundle: Bundle, partition: Partition): { policies: DesiredPolicy[]; groups: DesiredGroup[] } {
  const identity = bundle.identity;
  if (!identity) return { policies: [], groups: [] };
  const path = bundle.roles[0]?.path ?? '/';
  const policyOf = (role: string) => identity.policyName.replaceAll('{role}', role);
  // One per role, grouped or not: users can also attach them to groups of their own.
  const policies: DesiredPolicy[] = bundle.roles.map(({ name }) => ({
    name: policyOf(name),
    path,
    document: assumePolicyFor(
      bundle.roles.find((r) => r.name === name)!,
      partition,
    ),
    description: `rolehop bundle ${bundle.name}: assume ${name} in any account that trusts this one`,
  }));
  if (identity.mfaGuard)
    policies.push({
      name: mfaGuardName(bundle),
      path,
      document: mfaGuardPolicy(partition),
      description: `rolehop bundle ${bundle.name}: nothing but self-service without MFA`,
    });
  const groups = Object.entries(identity.groups)
    .map(([name, roles]) => ({ name, path, policyNames: [...roles.map(policyOf), ...(identity.mfaGuard ? [mfaGuardName(bundle)] : [])].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { policies, groups };
}

/** Live identity objects, as read (documents still as IAM returned them). */
export interface LiveIdentity {
  groups: IamGroupRecord[];
  policies: IamPolicyRecord[];
}

const lower = (s: string) => s.toLowerCase();

/**
 * The plan of the identity account: policies first (a group's attachment
 * needs its policy), then groups. Only policies with this bundle's owner
 * tag are updated, and only they are detached from a group; a group is
 * matched by name and path (IAM groups cannot be tagged). Pure.
 */
export function planIdentity(bundle: Bundle, live: LiveIdentity, partition: Partition): PlannedRole[] {
  const identity = bundle.identity;
  if (!identity) return [];
  const account = identity.account;
  const base = { account, accountName: 'identity account' };
  const want = desiredIdentity(bundle, partition);
  const arnOf = (p: { name: string; path: string }) => `arn:${partition}:iam::${account}:policy${p.path}${p.name}`;
  const livePolicy = new Map(live.policies.map((p) => [lower(p.name), p]));
  const owned = new Set(live.policies.filter((p) => p.tags[OWNER_TAG_KEY] === bundle.name).map((p) => p.arn));
  const out: PlannedRole[] = [];

  for (const d of want.policies) {
    const entry = { ...base, kind: 'policy' as const, role: d.name };
    const have = livePolicy.get(lower(d.name));
    if (!have) {
      out.push({
        ...entry,
        action: 'create',
        changes: [{ field: 'role', summary: `create policy ${d.path}${d.name}` }],
        steps: [
          {
            op: 'createPolicy',
            policy: { name: d.name, path: d.path, document: JSON.stringify(d.document), description: d.description, tags: { [OWNER_TAG_KEY]: bundle.name } },
          },
        ],
      });
      continue;
    }
    if (have.tags[OWNER_TAG_KEY] !== bundle.name || have.path !== d.path) {
      out.push({ ...entry, action: 'conflict', changes: [], steps: [], reason: `a policy rolehop does not own has this name (path ${have.path})` });
      continue;
    }
    const current = decodePolicyDocument(have.document);
    if (policiesEqual(current, d.document, partition)) {
      out.push({ ...entry, action: 'noop', changes: [], steps: [] });
      continue;
    }
    const steps: RoleStep[] = [];
    // A sixth version is refused: make room by deleting the oldest one that is not in use.
    const spare = have.versions.filter((v) => !v.isDefault);
    if (have.versions.length >= MAX_POLICY_VERSIONS && spare[0]) steps.push({ op: 'deletePolicyVersion', policyArn: have.arn, versionId: spare[0].id });
    steps.push({ op: 'createPolicyVersion', policyArn: have.arn, document: JSON.stringify(d.document) });
    const changes: RoleChange[] = [{ field: 'document', summary: 'policy document differs', diff: policyDiff(current, d.document, partition) }];
    out.push({ ...entry, action: 'update', changes, steps });
  }

  const liveGroup = new Map(live.groups.map((g) => [lower(g.name), g]));
  for (const g of want.groups) {
    const entry = { ...base, kind: 'group' as const, role: g.name };
    const wanted = g.policyNames.map((name) => arnOf({ name, path: g.path }));
    const have = liveGroup.get(lower(g.name));
    if (have && (have.path !== g.path || have.name !== g.name)) {
      out.push({ ...entry, action: 'conflict', changes: [], steps: [], reason: `a group ${have.name} exists at path ${have.path}` });
      continue;
    }
    const attached = new Set(have?.attachedPolicyArns ?? []);
    const attach = wanted.filter((a) => !attached.has(a));
    const detach = (have?.attachedPolicyArns ?? []).filter((a) => owned.has(a) && !wanted.includes(a));
    const steps: RoleStep[] = [
      ...(have ? [] : [{ op: 'createGroup', path: g.path } as RoleStep]),
      ...attach.map((policyArn): RoleStep => ({ op: 'attachGroupPolicy', policyArn })),
      ...detach.map((policyArn): RoleStep => ({ op: 'detachGroupPolicy', policyArn })),
    ];
    const changes: RoleChange[] = [
      ...(have ? [] : [{ field: 'role' as const, summary: `create group ${g.path}${g.name}` }]),
      ...(attach.length || detach.length
        ? [{ field: 'attachedPolicies' as const, summary: [...attach.map((a) => `attach ${a}`), ...detach.map((a) => `detach ${a}`)].join(', ') }]
        : []),
    ];
    out.push({ ...entry, action: !have ? 'create' : steps.length ? 'update' : 'noop', changes, steps });
  }
  return out;
}
