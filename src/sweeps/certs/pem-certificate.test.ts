import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasOpenssl, makeCert } from '../../../test/helpers/test-certs.js';
import { parsePemCertificate } from './pem-certificate.js';

const skip = hasOpenssl ? false : 'no openssl on this machine';

test('the not-after of `openssl req -x509 -days 5` is read from the body', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-pem-'));
  try {
    const before = Date.now();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-days', '5', '-nodes', '-subj', '/CN=x', '-keyout', 'k.pem', '-out', 'c.pem'], {
      cwd: dir,
      stdio: 'ignore',
    });
    const facts = parsePemCertificate(readFileSync(join(dir, 'c.pem'), 'utf8'));
    const at = Date.parse(facts.notAfter);
    // Second precision: within a second of five days after the command started, and before five days after it ended.
    assert.ok(at >= before - 1000 + 5 * 86_400_000 && at <= Date.now() + 5 * 86_400_000, facts.notAfter);
    assert.equal(facts.domain, 'x');
    assert.equal(facts.keyAlgorithm, 'RSA_2048');
    assert.deepEqual(facts.sans, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SANs, EC curves and RSA sizes come out in ACM naming; an exact not-after to the second', { skip }, () => {
  const notAfter = new Date('2031-03-04T05:06:07Z');
  const ec = makeCert({ domain: 'a.example.com', sans: ['www.a.example.com'], notAfter, key: 'ec384' });
  assert.deepEqual(parsePemCertificate(ec.cert), {
    notAfter: '2031-03-04T05:06:07.000Z',
    domain: 'a.example.com',
    sans: ['a.example.com', 'www.a.example.com'],
    keyAlgorithm: 'EC_secp384r1',
  });
  assert.equal(parsePemCertificate(makeCert({ domain: 'p.example.com', notAfter, key: 'ec256' }).cert).keyAlgorithm, 'EC_prime256v1');
});

test('a body with a chain is read by its first certificate; text around it is ignored', { skip }, () => {
  const leaf = makeCert({ domain: 'leaf.example.com', notAfter: new Date('2030-01-01T00:00:00Z') });
  const other = makeCert({ domain: 'ca.example.com', notAfter: new Date('2040-01-01T00:00:00Z') });
  const facts = parsePemCertificate(`subject=leaf\n${leaf.cert}\n${other.cert}`);
  assert.equal(facts.domain, 'leaf.example.com');
  assert.equal(facts.notAfter, '2030-01-01T00:00:00.000Z');
});

test('a body without a certificate, or a broken one, throws', () => {
  assert.throws(() => parsePemCertificate('not a certificate'), /no PEM certificate/);
  assert.throws(() => parsePemCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'));
});
