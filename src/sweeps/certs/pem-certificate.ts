import { X509Certificate } from 'node:crypto';

/** What `certs` reads from a certificate body. */
export interface PemFacts {
  /** Not-after as an ISO 8601 UTC instant. */
  notAfter: string;
  /** The subject's CN, or the whole subject when it has none. */
  domain: string;
  /** DNS and IP subject alternative names, in the certificate's order. */
  sans: string[];
  /** In ACM's naming: `RSA_2048`, `EC_prime256v1`, ...; other key types upper-cased (`ED25519`). */
  keyAlgorithm: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Parses the first certificate of a PEM body (an IAM server certificate's
 * `CertificateBody`). The not-after comes from the certificate itself: IAM's
 * metadata is a copy that a stand-in (moto) does not keep right. Throws
 * (node:crypto's error) when the body holds no parsable certificate.
 */
export function parsePemCertificate(body: string): PemFacts {
  const block = PEM_BLOCK.exec(body)?.[0];
  if (!block) throw new Error('no PEM certificate in the body');
  const cert = new X509Certificate(block);
  const notAfter = new Date(cert.validTo);
  if (Number.isNaN(notAfter.getTime())) throw new Error(`unreadable not-after "${cert.validTo}"`);
  return { notAfter: notAfter.toISOString(), domain: commonName(cert.subject), sans: altNames(cert.subjectAltName), keyAlgorithm: keyAlgorithm(cert) };
}

/** The CN of a subject as node:crypto prints it (`C=US\nCN=example.com`). */
function commonName(subject: string): string {
  const cn = subject
    .split('\n')
    .map((l) => /^CN=(.*)$/.exec(l)?.[1])
    .find((v) => v !== undefined);
  return cn ?? subject.replace(/\n/g, ', ');
}

/** `DNS:a.example.com, IP Address:10.0.0.1` → the names. Other kinds (email, URI) are left out: they are not what a TLS client checks. */
function altNames(san: string | undefined): string[] {
  if (!san) return [];
  return san
    .split(/,\s*/)
    .map((part) => /^(?:DNS|IP Address):(.+)$/.exec(part)?.[1])
    .filter((v): v is string => v !== undefined);
}

function keyAlgorithm(cert: X509Certificate): string {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && details.modulusLength) return `RSA_${details.modulusLength}`;
  if (key.asymmetricKeyType === 'ec' && details.namedCurve) return `EC_${details.namedCurve}`;
  return (key.asymmetricKeyType ?? 'unknown').toUpperCase();
}
