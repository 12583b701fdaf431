// The per-target job of `rolehop certs`, built only on rolehop's public API:
// copy it as the start of a job of your own (`rolehop run --job`, or fanOut
// from the library).
import { ACMClient } from '@aws-sdk/client-acm';
import { IAMClient } from '@aws-sdk/client-iam';
import type { Job, JobContext } from '../../index.js';
import { readAcmCertificates } from './acm-certificates.js';
import type { CertFact } from './cert-facts.js';
import { readServerCertificates } from './iam-server-certificates.js';

/** Options of {@link certsJob}. */
export interface CertsJobOptions {
  /** `--days`: ACM certificates with fewer days left are described (what uses them). A positive integer. */
  days: number;
  /** The clock, in milliseconds since the epoch. */
  now: () => number;
  /**
   * The one region of the sweep whose unit also reads the account's IAM
   * server certificates (IAM is global). `certs` uses us-east-1: every
   * sweep includes it and it is never an opt-in region.
   */
  iamRegion: string;
}

/**
 * A job for one (account, region): the region's ACM certificates, and on
 * the `iamRegion` unit the account's IAM server certificates as well.
 * Returns facts only; `cert-report.ts` judges them.
 */
export function certsJob(opts: CertsJobOptions): Job<CertFact[]> {
  return async (ctx: JobContext) => {
    const where = { account: ctx.account, ...(ctx.name ? { accountName: ctx.name } : {}), signal: ctx.signal };
    const acm = await readAcmCertificates(ctx.client(ACMClient), { ...where, region: ctx.region, days: opts.days, now: opts.now() });
    if (ctx.region !== opts.iamRegion) return acm;
    const iam = await readServerCertificates(ctx.client(IAMClient), { ...where, now: opts.now() });
    return [...acm, ...iam];
  };
}
