import type { Partition } from '../aws/partition.js';
import type { PolicyDocument, TrustSpec } from './model.js';

/**
 * The trust policy a bundle role gets. One rendering, used both to create the
 * role and to measure it against IAM's size quota, so the two never differ.
 */

/**
 * What the trusted principals may do: assume the role, and also name a source
 * identity and pass session tags, so rolehop can start sending those without
 * every role's trust changing. Sorted: the document is compared as data.
 */
export const TRUST_ACTIONS: readonly string[] = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'];

/**
 * The trust policy document for `trust` in `partition`: one Allow statement
 * whose principals are the given `principals` (with `${partition}` filled in)
 * or else each trusted account's root (`arn:<partition>:iam::<id>:root`, which
 * delegates to that account's own IAM policies), sorted and without
 * duplicates. Conditions, each only when asked for:
 * `Bool aws:MultiFactorAuthPresent "true"` (an Allow on "true" also refuses
 * long-term keys, where the key is absent), `NumericLessThan
 * aws:MultiFactorAuthAge`, `StringEquals sts:ExternalId`. Deterministic: the
 * same spec always gives the same document, key order included.
 */
export function trustPolicyFor(trust: TrustSpec, partition: Partition): PolicyDocument {
  const principals =
    trust.principals && trust.principals.length > 0
      ? trust.principals.map((p) => p.replaceAll('${partition}', partition))
      : trust.accounts.map((id) => `arn:${partition}:iam::${id}:root`);
  const condition: Record<string, Record<string, string>> = {};
  if (trust.mfa) condition['Bool'] = { 'aws:MultiFactorAuthPresent': 'true' };
  if (trust.maxMfaAgeSeconds !== undefined) condition['NumericLessThan'] = { 'aws:MultiFactorAuthAge': String(trust.maxMfaAgeSeconds) };
  if (trust.externalId !== undefined) condition['StringEquals'] = { 'sts:ExternalId': trust.externalId };
  const statement: Record<string, unknown> = {
    Effect: 'Allow',
    Principal: { AWS: [...new Set(principals)].sort() },
    Action: [...TRUST_ACTIONS],
  };
  if (Object.keys(condition).length > 0) statement['Condition'] = condition;
  return { Version: '2012-10-17', Statement: [statement] };
}
