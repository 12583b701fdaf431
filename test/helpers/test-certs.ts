// Self-signed certificates with an exact not-after, made by the openssl CLI
// (`openssl ca -selfsign -enddate`: `req -x509` only counts whole days from
// now), for ACM ImportCertificate and IAM UploadServerCertificate.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key type as openssl makes it. */
export type TestKey = 'rsa2048' | 'rsa4096' | 'ec256' | 'ec384';

/** What {@link makeCert} made. */
export interface TestCert {
  /** The certificate, PEM. */
  cert: string;
  /** Its unencrypted private key, PEM. */
  key: string;
  /** The not-after it was given, to the second. */
  notAfter: Date;
}

/** True when an `openssl` binary answers. */
export const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

const KEY_OPTS: Record<TestKey, string[]> = {
  rsa2048: ['-newkey', 'rsa:2048'],
  rsa4096: ['-newkey', 'rsa:4096'],
  ec256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'],
  ec384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1'],
};

/** `YYYYMMDDHHMMSSZ`, openssl's GeneralizedTime for -startdate/-enddate. */
function generalized(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
}

/**
 * A self-signed certificate for `domain` (CN and first SAN, plus `sans`)
 * valid from an hour ago until `notAfter` (whole seconds). Synchronous;
 * an RSA-4096 key takes up to a second or two.
 */
export function makeCert(o: { domain: string; sans?: string[]; notAfter: Date; key?: TestKey }): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-cert-'));
  try {
    const sans = [o.domain, ...(o.sans ?? [])].map((s) => `DNS:${s}`).join(',');
    writeFileSync(
      join(dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = d',
        '[d]',
        `database = ${join(dir, 'index.txt')}`,
        `new_certs_dir = ${dir}`,
        `serial = ${join(dir, 'serial')}`,
        'default_md = sha256',
        'policy = p',
        'x509_extensions = ext',
        'unique_subject = no',
        '[p]',
        'commonName = supplied',
        '[ext]',
        'basicConstraints = CA:false',
        `subjectAltName = ${sans}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), `${Date.now().toString(16).padStart(16, '0')}\n`);
    const notAfter = new Date(Math.floor(o.notAfter.getTime() / 1000) * 1000);
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    run(['req', '-new', ...KEY_OPTS[o.key ?? 'rsa2048'], '-nodes', '-keyout', 'key.pem', '-subj', `/CN=${o.domain}`, '-out', 'req.csr']);
    run([
      'ca',
      '-batch',
      '-notext',
      '-config',
      'ca.cnf',
      '-selfsign',
      '-keyfile',
      'key.pem',
      '-in',
      'req.csr',
      '-out',
      'cert.pem',
      '-startdate',
      generalized(new Date(Date.now() - 3600_000)),
      '-enddate',
      generalized(notAfter),
    ]);
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8'), notAfter };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
