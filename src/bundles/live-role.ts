import type { IamRoleRecord } from '../aws/iam-roles-port.js';
import type { LiveRole } from './model.js';
import { decodePolicyDocument } from '../policy/policy-normalize.js';

/** A role record from IAM with its documents decoded (IAM URL-encodes them, moto sometimes not). */
export function liveRoleOf(r: IamRoleRecord): LiveRole {
  return {
    name: r.name,
    path: r.path,
    arn: r.arn,
    roleId: r.roleId,
    trust: decodePolicyDocument(r.trust),
    ...(r.description !== undefined ? { description: r.description } : {}),
    maxSessionDuration: r.maxSessionDuration,
    ...(r.permissionsBoundaryArn ? { permissionsBoundaryArn: r.permissionsBoundaryArn } : {}),
    managedPolicyArns: [...r.managedPolicyArns].sort(),
    inlinePolicies: Object.fromEntries(r.inlinePolicies.map((p) => [p.name, decodePolicyDocument(p.document)])),
    tags: { ...r.tags },
  };
}
