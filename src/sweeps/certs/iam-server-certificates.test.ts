import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetServerCertificateCommand, ListServerCertificatesCommand, type IAMClient, type ServerCertificateMetadata } from '@aws-sdk/client-iam';
import { hasOpenssl, makeCert } from '../../../test/helpers/test-certs.js';
import { readServerCertificates } from './iam-server-certificates.js';

const NOW = Date.parse('2030-06-01T12:00:00Z');
const WRONG = new Date('2012-05-08T01:02:03Z'); // moto's hard-coded Expiration

/** IAM with server certificates in pages of one (Marker = index), bodies by name. */
function fakeIam(certs: { meta: ServerCertificateMetadata; body: string }[]) {
  const asked: string[] = [];
  const client = {
    send: async (cmd: unknown) => {
      if (cmd instanceof ListServerCertificatesCommand) {
        const i = cmd.input.Marker ? Number(cmd.input.Marker) : 0;
        asked.push(`list:${i}`);
        const more = i + 1 < certs.length;
        return { ServerCertificateMetadataList: certs[i] ? [certs[i].meta] : [], IsTruncated: more, ...(more ? { Marker: String(i + 1) } : {}) };
      }
      if (cmd instanceof GetServerCertificateCommand) {
        asked.push(`get:${cmd.input.ServerCertificateName}`);
        const c = certs.find((x) => x.meta.ServerCertificateName === cmd.input.ServerCertificateName)!;
        return { ServerCertificate: { ServerCertificateMetadata: c.meta, CertificateBody: c.body } };
      }
      throw new Error('unexpected command');
    },
  } as unknown as IAMClient;
  return { client, asked };
}

const meta = (name: string): ServerCertificateMetadata => ({
  ServerCertificateName: name,
  Path: '/',
  ServerCertificateId: `ID${name}`,
  Arn: `arn:aws:iam::111111111111:server-certificate/${name}`,
  Expiration: WRONG,
});

test('every page is listed, every body fetched, and the expiry read from the body, not the metadata', { skip: hasOpenssl ? false : 'no openssl' }, async () => {
  const soon = makeCert({ domain: 'legacy.example.com', sans: ['old.example.com'], notAfter: new Date(NOW + 2 * 86_400_000), key: 'rsa2048' });
  const gone = makeCert({ domain: 'gone.example.com', notAfter: new Date(NOW - 86_400_000), key: 'ec256' });
  const iam = fakeIam([
    { meta: meta('legacy'), body: soon.cert },
    { meta: meta('gone'), body: gone.cert },
    { meta: meta('broken'), body: 'garbage' },
  ]);
  const facts = await readServerCertificates(iam.client, { account: '111111111111', now: NOW });
  assert.deepEqual(iam.asked, ['list:0', 'list:1', 'list:2', 'get:legacy', 'get:gone', 'get:broken']);
  assert.deepEqual(facts[0], {
    account: '111111111111',
    region: 'global',
    arn: 'arn:aws:iam::111111111111:server-certificate/legacy',
    domain: 'legacy.example.com',
    sans: ['legacy.example.com', 'old.example.com'],
    type: 'IAM',
    keyAlgorithm: 'RSA_2048',
    status: 'ISSUED',
    notAfter: soon.notAfter.toISOString(),
    inUse: null,
  });
  assert.equal(facts[1]!.status, 'EXPIRED');
  assert.equal(facts[1]!.keyAlgorithm, 'EC_prime256v1');
  // Only a body that cannot be parsed falls back to the metadata.
  assert.equal(facts[2]!.notAfter, WRONG.toISOString());
  assert.equal(facts[2]!.domain, 'broken');
});
