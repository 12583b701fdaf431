import {
  DescribeCertificateCommand,
  ListCertificatesCommand,
  type ACMClient,
  type CertificateStatus,
  type CertificateSummary,
  type KeyAlgorithm,
} from '@aws-sdk/client-acm';
import type { CertFact } from './cert-facts.js';
import { needsDescribe, type ReportOptions } from './cert-report.js';

/**
 * Every key type ACM knows. ListCertificates without `Includes.keyTypes`
 * returns only RSA_1024 and RSA_2048 certificates, silently: EC and larger
 * RSA keys are missed unless every type is asked for.
 */
export const ACM_KEY_TYPES: readonly KeyAlgorithm[] = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'];

/**
 * The statuses that can expire: issued ones, expired ones (perhaps still
 * attached) and inactive ones. Pending, failed, timed-out and revoked
 * certificates have no expiry that matters (pending ones have no not-after).
 */
export const ACM_STATUSES: readonly CertificateStatus[] = ['ISSUED', 'EXPIRED', 'INACTIVE'];

/** ListCertificates' largest page. */
const PAGE_SIZE = 1000;

/** Where and how an ACM region is read. */
export interface AcmReadOptions extends ReportOptions {
  account: string;
  accountName?: string;
  region: string;
  signal?: AbortSignal;
}

/**
 * Every ACM certificate of one region: ListCertificates over all key types
 * and pages (the summaries carry type, status, key, not-after, in-use and
 * renewal eligibility), then DescribeCertificate only for the certificates
 * {@link needsDescribe} picks, for what uses them and their renewal status.
 */
export async function readAcmCertificates(acm: ACMClient, opts: AcmReadOptions): Promise<CertFact[]> {
  const send = { abortSignal: opts.signal };
  const facts: CertFact[] = [];
  let NextToken: string | undefined;
  do {
    const page = await acm.send(
      new ListCertificatesCommand({
        CertificateStatuses: [...ACM_STATUSES],
        Includes: { keyTypes: [...ACM_KEY_TYPES] },
        MaxItems: PAGE_SIZE,
        ...(NextToken ? { NextToken } : {}),
      }),
      send,
    );
    for (const s of page.CertificateSummaryList ?? []) if (s.CertificateArn) facts.push(fromSummary(s, opts));
    NextToken = page.NextToken || undefined;
  } while (NextToken);

  for (const fact of facts) {
    if (!needsDescribe(fact, opts)) continue;
    const { Certificate: c } = await acm.send(new DescribeCertificateCommand({ CertificateArn: fact.arn }), send);
    if (!c) continue;
    fact.inUseBy = c.InUseBy ?? [];
    fact.inUse = fact.inUseBy.length > 0;
    if (c.SubjectAlternativeNames?.length) fact.sans = c.SubjectAlternativeNames;
    if (c.RenewalSummary?.RenewalStatus) fact.renewalStatus = c.RenewalSummary.RenewalStatus;
    if (c.Status) fact.status = c.Status;
  }
  return facts;
}

function fromSummary(s: CertificateSummary, o: AcmReadOptions): CertFact {
  return {
    account: o.account,
    ...(o.accountName ? { accountName: o.accountName } : {}),
    region: o.region,
    arn: s.CertificateArn ?? '',
    domain: s.DomainName ?? '',
    sans: s.SubjectAlternativeNameSummaries ?? [],
    type: s.Type ?? 'UNKNOWN',
    keyAlgorithm: s.KeyAlgorithm ?? 'UNKNOWN',
    status: s.Status ?? 'UNKNOWN',
    ...(s.NotAfter ? { notAfter: s.NotAfter.toISOString() } : {}),
    inUse: s.InUse ?? null,
    ...(s.RenewalEligibility ? { renewalEligibility: s.RenewalEligibility } : {}),
  };
}
