import type { Partition } from '../aws/partition.js';
import { OWNER_TAG_KEY, type Bundle, type BundleRole, type DesiredRole, type PolicyDocument } from './model.js';
import { trustPolicyFor } from './trust-policy.js';

/** Replaces `${partition}` and `${account}` in a policy ARN or document string. */
function fill(text: string, account: string, partition: Partition): string {
  return text.replaceAll('${partition}', partition).replaceAll('${account}', account);
}

/**
 * A managed policy reference as a concrete ARN: a full ARN (placeholders
 * filled), or a short AWS managed name (`ReadOnlyAccess`,
 * `job-function/ViewOnlyAccess`) in the account's partition.
 */
export function policyArnFor(ref: string, account: string, partition: Partition): string {
  const filled = fill(ref, account, partition);
  return filled.startsWith('arn:') ? filled : `arn:${partition}:iam::aws:policy/${filled.replace(/^\/+/, '')}`;
}

/** A copy of a document with the placeholders of every string filled. */
function fillDocument(value: unknown, account: string, partition: Partition): unknown {
  if (typeof value === 'string') return fill(value, account, partition);
  if (Array.isArray(value)) return value.map((v) => fillDocument(v, account, partition));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fillDocument(v, account, partition)]));
  return value;
}

/**
 * What `role` of `bundle` must look like in `account`: concrete ARNs and
 * documents for the account's partition, the owner tag added. Pure.
 */
export function desiredRole(bundle: Bundle, role: BundleRole, account: string, partition: Partition): DesiredRole {
  return {
    name: role.name,
    path: role.path,
    description: role.description,
    trust: trustPolicyFor(role.trust, partition),
    managedPolicyArns: [...new Set(role.managedPolicies.map((p) => policyArnFor(p, account, partition)))].sort(),
    inlinePolicies: Object.fromEntries(
      Object.entries(role.inlinePolicies).map(([name, doc]) => [name, fillDocument(doc, account, partition) as PolicyDocument]),
    ),
    ...(role.permissionsBoundary ? { permissionsBoundaryArn: policyArnFor(role.permissionsBoundary, account, partition) } : {}),
    maxSessionDuration: role.maxSessionDuration,
    tags: { ...role.tags, [OWNER_TAG_KEY]: bundle.name },
  };
}
