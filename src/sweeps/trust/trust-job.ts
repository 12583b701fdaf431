// `rolehop audit trust`, the job run in each account: read every role's
// trust policy (one paginated ListRoles) and say what lets in a stranger.
// Built only on rolehop's public API (`JobContext` from the package entry),
// so it doubles as an example of a job of your own for `rolehop run --job`
// or `fanOut`.
import { IAMClient, paginateListRoles } from '@aws-sdk/client-iam';
import { decodePolicyDocument, trustFindings, type JobContext, type TrustContext, type TrustFinding } from '../../index.js';

/** What the audit needs besides the account: see {@link TrustContext}. */
export type TrustAuditOptions = Omit<TrustContext, 'account'>;

/**
 * The per-account job of the trust audit: every role of the account (all
 * pages), its trust policy decoded (IAM URL-encodes it), and the findings.
 * IAM is global: run it once per account, in any region of the partition.
 */
export function trustAuditJob(opts: TrustAuditOptions): (ctx: JobContext) => Promise<TrustFinding[]> {
  return async (ctx) => {
    const iam = ctx.client(IAMClient);
    const findings: TrustFinding[] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 1000 }, {})) {
      for (const role of page.Roles ?? []) {
        if (!role.RoleName || !role.Arn || !role.AssumeRolePolicyDocument) continue;
        const trust = decodePolicyDocument(role.AssumeRolePolicyDocument);
        findings.push(...trustFindings({ name: role.RoleName, arn: role.Arn, trust }, { ...opts, account: ctx.account }));
      }
    }
    return findings;
  };
}
