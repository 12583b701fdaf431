/**
 * What the `certs` job reports about one certificate: facts read from AWS,
 * with no judgement (days left and severity are computed from them by
 * `cert-report.ts`, with the caller's clock).
 */

/** ACM's certificate types, and `IAM` for an IAM server certificate. */
export type CertType = 'AMAZON_ISSUED' | 'IMPORTED' | 'PRIVATE' | 'IAM';

/** The `region` of an IAM server certificate: IAM is global, so it is read once per account. */
export const GLOBAL_REGION = 'global';

/** One certificate as found in one account and region (or `global`). */
export interface CertFact {
  account: string;
  /** The account's name (Organizations or the accounts file), when known. */
  accountName?: string;
  /** The ACM region, or {@link GLOBAL_REGION} for an IAM server certificate. */
  region: string;
  arn: string;
  /** The certificate's domain name (for IAM: the subject's CN from the body). */
  domain: string;
  /** Subject alternative names; for ACM summaries, what ListCertificates returned (it may shorten long lists). */
  sans: string[];
  /** An ACM type, `IAM`, or a type AWS added after this release (passed through as given). */
  type: CertType | (string & {});
  /** ACM's KeyAlgorithm names (`RSA_2048`, `EC_prime256v1`, ...), for IAM derived from the body's key. */
  keyAlgorithm: string;
  /** ACM's status; for IAM `ISSUED` or `EXPIRED`, derived from the body (IAM has no status). */
  status: string;
  /** Not-after as an ISO 8601 UTC instant; undefined when AWS gives none. */
  notAfter?: string;
  /** Whether anything uses it; null when unknown (IAM does not record what uses a server certificate). */
  inUse: boolean | null;
  /** ARNs of what uses it: only for certificates that were described (near the threshold); undefined otherwise. */
  inUseBy?: string[];
  /** ACM's RenewalEligibility (`ELIGIBLE`, `INELIGIBLE`); undefined for IAM. */
  renewalEligibility?: string;
  /** ACM's RenewalSummary.RenewalStatus (`PENDING_AUTO_RENEWAL`, `FAILED`, ...): only for described certificates that have one. */
  renewalStatus?: string;
}
