import { GetServerCertificateCommand, ListServerCertificatesCommand, type IAMClient, type ServerCertificateMetadata } from '@aws-sdk/client-iam';
import { GLOBAL_REGION, type CertFact } from './cert-facts.js';
import { parsePemCertificate, type PemFacts } from './pem-certificate.js';

/** Where and when an account's IAM server certificates are read. */
export interface IamReadOptions {
  account: string;
  accountName?: string;
  /** Milliseconds since the epoch: decides the derived `ISSUED`/`EXPIRED` status. */
  now: number;
  signal?: AbortSignal;
}

/**
 * Every IAM server certificate of the account (IAM is global: call it once
 * per account). ListServerCertificates over all pages, then
 * GetServerCertificate for each, and the expiry, names and key are read
 * from the body. Only when a body cannot be parsed is the metadata's
 * Expiration used. `inUse` is null: IAM does not record what uses one.
 */
export async function readServerCertificates(iam: IAMClient, opts: IamReadOptions): Promise<CertFact[]> {
  const send = { abortSignal: opts.signal };
  const metas: ServerCertificateMetadata[] = [];
  let Marker: string | undefined;
  do {
    const page = await iam.send(new ListServerCertificatesCommand(Marker ? { Marker } : {}), send);
    metas.push(...(page.ServerCertificateMetadataList ?? []));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);

  const facts: CertFact[] = [];
  for (const meta of metas) {
    if (!meta.ServerCertificateName) continue;
    const r = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: meta.ServerCertificateName }), send);
    const body = r.ServerCertificate?.CertificateBody;
    let pem: PemFacts | undefined;
    try {
      pem = body ? parsePemCertificate(body) : undefined;
    } catch {
      pem = undefined;
    }
    const notAfter = pem?.notAfter ?? meta.Expiration?.toISOString();
    facts.push({
      account: opts.account,
      ...(opts.accountName ? { accountName: opts.accountName } : {}),
      region: GLOBAL_REGION,
      arn: meta.Arn ?? '',
      domain: pem?.domain ?? meta.ServerCertificateName,
      sans: pem?.sans ?? [],
      type: 'IAM',
      keyAlgorithm: pem?.keyAlgorithm ?? 'UNKNOWN',
      status: notAfter !== undefined && Date.parse(notAfter) < opts.now ? 'EXPIRED' : 'ISSUED',
      ...(notAfter ? { notAfter } : {}),
      inUse: null,
    });
  }
  return facts;
}
