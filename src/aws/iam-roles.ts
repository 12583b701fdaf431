import type { IAMClient } from '@aws-sdk/client-iam';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { IamGroupRecord, IamPolicyRecord, IamRoleRecord, IamRolesPort, NewPolicy, NewRole } from './iam-roles-port.js';
import { loadIam } from './iam.js';
import { mapAwsError } from './map-error.js';

type IamModule = typeof import('@aws-sdk/client-iam');

/** Page size of the bulk reads: IAM's maximum, so a typical account is one request each. */
const PAGE = 1000;

/**
 * An {@link IamRolesPort} over an SDK IAM client the caller built (a fan-out
 * job's `ctx.client(IAMClient)`, with its credentials and retries). The
 * bulk read is two paginated calls per account whatever the number of
 * roles: GetAccountAuthorizationDetails (trust, policies, tags, boundary)
 * and ListRoles (description and MaxSessionDuration, which the first omits).
 */
export async function createIamRolesPort(client: IAMClient): Promise<IamRolesPort> {
  const iam: IamModule = await loadIam();
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw mapAwsError(e, what);
    }
  };
  return {
    async readRoles(): Promise<IamRoleRecord[]> {
      const details = await call('GetAccountAuthorizationDetails', async () => {
        const out: NonNullable<import('@aws-sdk/client-iam').GetAccountAuthorizationDetailsResponse['RoleDetailList']> = [];
        let marker: string | undefined;
        do {
          const r = await client.send(
            new iam.GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: PAGE, ...(marker ? { Marker: marker } : {}) }),
          );
          out.push(...(r.RoleDetailList ?? []));
          marker = r.IsTruncated ? r.Marker : undefined;
        } while (marker);
        return out;
      });
      const listed = await call('ListRoles', async () => {
        const out = new Map<string, { description?: string; maxSessionDuration?: number }>();
        let marker: string | undefined;
        do {
          const r = await client.send(new iam.ListRolesCommand({ MaxItems: PAGE, ...(marker ? { Marker: marker } : {}) }));
          for (const role of r.Roles ?? [])
            if (role.RoleName)
              out.set(role.RoleName, {
                ...(role.Description ? { description: role.Description } : {}),
                ...(role.MaxSessionDuration ? { maxSessionDuration: role.MaxSessionDuration } : {}),
              });
          marker = r.IsTruncated ? r.Marker : undefined;
        } while (marker);
        return out;
      });
      return details.flatMap((d): IamRoleRecord[] => {
        if (!d.RoleName || !d.Arn) return [];
        const extra = listed.get(d.RoleName);
        return [
          {
            name: d.RoleName,
            path: d.Path ?? '/',
            arn: d.Arn,
            roleId: d.RoleId ?? '',
            trust: d.AssumeRolePolicyDocument ?? '{}',
            ...(extra?.description ? { description: extra.description } : {}),
            maxSessionDuration: extra?.maxSessionDuration ?? 3600,
            ...(d.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundaryArn: d.PermissionsBoundary.PermissionsBoundaryArn } : {}),
            managedPolicyArns: (d.AttachedManagedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])),
            inlinePolicies: (d.RolePolicyList ?? []).flatMap((p) => (p.PolicyName ? [{ name: p.PolicyName, document: p.PolicyDocument ?? '{}' }] : [])),
            tags: Object.fromEntries((d.Tags ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : []))),
          },
        ];
      });
    },
    async createRole(role: NewRole) {
      const r = await call(`CreateRole ${role.name}`, () =>
        client.send(
          new iam.CreateRoleCommand({
            RoleName: role.name,
            Path: role.path,
            AssumeRolePolicyDocument: role.trust,
            Description: role.description,
            MaxSessionDuration: role.maxSessionDuration,
            ...(role.permissionsBoundaryArn ? { PermissionsBoundary: role.permissionsBoundaryArn } : {}),
            Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
      if (!r.Role?.Arn) throw new RolehopError(ErrorCodes.AWS_OTHER, `CreateRole ${role.name} returned no role`, { hint: 'Check the IAM endpoint in use.' });
      return { arn: r.Role.Arn, roleId: r.Role.RoleId ?? '' };
    },
    async updateRole(name, description, maxSessionDuration) {
      await call(`UpdateRole ${name}`, () =>
        client.send(new iam.UpdateRoleCommand({ RoleName: name, Description: description, MaxSessionDuration: maxSessionDuration })),
      );
    },
    async updateTrust(name, document) {
      await call(`UpdateAssumeRolePolicy ${name}`, () => client.send(new iam.UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: document })));
    },
    async attachPolicy(name, policyArn) {
      await call(`AttachRolePolicy ${name} ${policyArn}`, () => client.send(new iam.AttachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn })));
    },
    async detachPolicy(name, policyArn) {
      await call(`DetachRolePolicy ${name} ${policyArn}`, () => client.send(new iam.DetachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn })));
    },
    async putInlinePolicy(name, policyName, document) {
      await call(`PutRolePolicy ${name} ${policyName}`, () =>
        client.send(new iam.PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: document })),
      );
    },
    async deleteInlinePolicy(name, policyName) {
      await call(`DeleteRolePolicy ${name} ${policyName}`, () => client.send(new iam.DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })));
    },
    async putBoundary(name, policyArn) {
      await call(`PutRolePermissionsBoundary ${name}`, () =>
        client.send(new iam.PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: policyArn })),
      );
    },
    async deleteBoundary(name) {
      await call(`DeleteRolePermissionsBoundary ${name}`, () => client.send(new iam.DeleteRolePermissionsBoundaryCommand({ RoleName: name })));
    },
    async tagRole(name, tags) {
      await call(`TagRole ${name}`, () =>
        client.send(new iam.TagRoleCommand({ RoleName: name, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })),
      );
    },
    async untagRole(name, keys) {
      await call(`UntagRole ${name}`, () => client.send(new iam.UntagRoleCommand({ RoleName: name, TagKeys: keys })));
    },
    async deleteRole(name) {
      await call(`DeleteRole ${name}`, () => client.send(new iam.DeleteRoleCommand({ RoleName: name })));
    },
    async readIdentity(tagPaths) {
      const { groups, policies } = await call('GetAccountAuthorizationDetails', async () => {
        const g: IamGroupRecord[] = [];
        const p: Omit<IamPolicyRecord, 'tags'>[] = [];
        let marker: string | undefined;
        do {
          const r = await client.send(
            new iam.GetAccountAuthorizationDetailsCommand({ Filter: ['Group', 'LocalManagedPolicy'], MaxItems: PAGE, ...(marker ? { Marker: marker } : {}) }),
          );
          for (const d of r.GroupDetailList ?? [])
            if (d.GroupName && d.Arn)
              g.push({
                name: d.GroupName,
                path: d.Path ?? '/',
                arn: d.Arn,
                attachedPolicyArns: (d.AttachedManagedPolicies ?? []).flatMap((x) => (x.PolicyArn ? [x.PolicyArn] : [])),
              });
          for (const d of r.Policies ?? []) {
            if (!d.Arn) continue;
            // moto leaves PolicyName out of this listing; the ARN ends with it.
            const name = d.PolicyName ?? d.Arn.slice(d.Arn.lastIndexOf('/') + 1);
            const versions = [...(d.PolicyVersionList ?? [])].sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0));
            const current = versions.find((v) => v.IsDefaultVersion);
            p.push({
              name,
              path: d.Path ?? '/',
              arn: d.Arn,
              document: current?.Document ?? '{}',
              versions: versions.flatMap((v) => (v.VersionId ? [{ id: v.VersionId, isDefault: !!v.IsDefaultVersion }] : [])),
            });
          }
          marker = r.IsTruncated ? r.Marker : undefined;
        } while (marker);
        return { groups: g, policies: p };
      });
      const withTags: IamPolicyRecord[] = [];
      for (const policy of policies) {
        if (!tagPaths.includes(policy.path)) {
          withTags.push({ ...policy, tags: {} });
          continue;
        }
        const r = await call(`ListPolicyTags ${policy.name}`, () => client.send(new iam.ListPolicyTagsCommand({ PolicyArn: policy.arn })));
        withTags.push({ ...policy, tags: Object.fromEntries((r.Tags ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : []))) });
      }
      return { groups, policies: withTags };
    },
    async createPolicy(policy: NewPolicy) {
      const r = await call(`CreatePolicy ${policy.name}`, () =>
        client.send(
          new iam.CreatePolicyCommand({
            PolicyName: policy.name,
            Path: policy.path,
            PolicyDocument: policy.document,
            Description: policy.description,
            Tags: Object.entries(policy.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
      if (!r.Policy?.Arn)
        throw new RolehopError(ErrorCodes.AWS_OTHER, `CreatePolicy ${policy.name} returned no policy`, { hint: 'Check the IAM endpoint in use.' });
      return { arn: r.Policy.Arn };
    },
    async createPolicyVersion(policyArn, document) {
      await call(`CreatePolicyVersion ${policyArn}`, () =>
        client.send(new iam.CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: document, SetAsDefault: true })),
      );
    },
    async deletePolicyVersion(policyArn, versionId) {
      await call(`DeletePolicyVersion ${policyArn} ${versionId}`, () =>
        client.send(new iam.DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })),
      );
    },
    async createGroup(name, path) {
      await call(`CreateGroup ${name}`, () => client.send(new iam.CreateGroupCommand({ GroupName: name, Path: path })));
    },
    async attachGroupPolicy(group, policyArn) {
      await call(`AttachGroupPolicy ${group} ${policyArn}`, () => client.send(new iam.AttachGroupPolicyCommand({ GroupName: group, PolicyArn: policyArn })));
    },
    async detachGroupPolicy(group, policyArn) {
      await call(`DetachGroupPolicy ${group} ${policyArn}`, () => client.send(new iam.DetachGroupPolicyCommand({ GroupName: group, PolicyArn: policyArn })));
    },
  };
}
