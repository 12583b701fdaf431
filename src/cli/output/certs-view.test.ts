import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertRow } from '../../sweeps/certs/cert-report.js';
import { CERT_CSV_HEAD, certCsv, certCsvHead, certJson, certsSummary, certTableRow } from './certs-view.js';

const row = (over: Partial<CertRow> = {}): CertRow => ({
  account: '111111111111',
  accountName: 'team, "a"',
  region: 'eu-west-1',
  arn: 'arn:aws:acm:eu-west-1:111111111111:certificate/x',
  domain: 'a.example.com',
  sans: ['a.example.com', 'www.a.example.com'],
  type: 'IMPORTED',
  keyAlgorithm: 'EC_prime256v1',
  status: 'ISSUED',
  notAfter: '2030-06-06T12:00:00.000Z',
  inUse: true,
  inUseBy: ['arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/1'],
  daysLeft: 5,
  severity: 'under-7-days',
  ...over,
});

test('a JSON line has the documented fields, unknowns as null', () => {
  const line = certJson(row({ inUse: null, inUseBy: undefined, region: 'global', type: 'IAM' }));
  assert.ok(line.endsWith('\n'));
  const o = JSON.parse(line) as Record<string, unknown>;
  for (const k of ['account', 'region', 'arn', 'domain', 'type', 'status', 'notAfter', 'daysLeft', 'inUse', 'severity']) assert.ok(k in o, k);
  assert.equal(o.inUse, null);
  assert.equal(o.inUseBy, null);
  assert.equal(o.daysLeft, 5);
});

test('CSV: a header, then one record per certificate with RFC 4180 quoting and control characters made visible', () => {
  assert.equal(certCsvHead(), `${CERT_CSV_HEAD.join(',')}\r\n`);
  const rec = certCsv(row({ domain: 'evil\x1b[2J.example.com,x' }));
  assert.ok(rec.endsWith('\r\n'));
  assert.ok(rec.includes('"team, ""a"""'), rec);
  assert.ok(rec.includes('"evil\\x1b[2J.example.com,x"'), rec);
  assert.ok(rec.startsWith('under-7-days,5,2030-06-06T12:00:00.000Z,111111111111,'), rec);
  assert.ok(rec.includes(',a.example.com www.a.example.com,true,'), rec);
});

test('a table row shortens SANs and users; IAM use is unknown', () => {
  const r = certTableRow(row());
  assert.equal(r[7], 'a.example.com (+1)');
  assert.equal(r[8], 'loadbalancer/app/web/1');
  assert.equal(r[9], 'never');
  assert.equal(certTableRow(row({ inUse: null, type: 'IAM' }))[8], '?');
  assert.equal(certTableRow(row({ inUse: false }))[8], 'no');
  assert.equal(certTableRow(row({ type: 'AMAZON_ISSUED', renewalEligibility: 'ELIGIBLE' }))[9], 'ELIGIBLE');
  assert.equal(certTableRow(row({ type: 'AMAZON_ISSUED', renewalEligibility: 'ELIGIBLE', renewalStatus: 'FAILED' }))[9], 'FAILED');
});

test('the summary counts every severity and the targets', () => {
  const s = certsSummary([row(), row({ severity: 'ok' }), row({ severity: 'expired' })], { days: 30, targets: 40, failed: 1 });
  assert.equal(s, 'rolehop: 3 certificates: 1 expired, 1 under 7 days, 0 under 30 days, 0 renewal failing, 0 imported, 0 unused, 1 ok; 40 targets, 1 failed\n');
  assert.match(certsSummary([], { days: 5, targets: 2, failed: 0 }), /^rolehop: 0 certificates: 0 expired, 0 under 7 days, 0 renewal failing, 0 imported/);
});
