import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertFact } from './cert-facts.js';
import { certRows, countBySeverity, DAY_MS, daysLeft, isFinding, needsDescribe, severityOf, type ReportOptions } from './cert-report.js';

const NOW = Date.parse('2030-06-01T12:00:00Z');
const opts: ReportOptions = { now: NOW, days: 30 };
const at = (ms: number) => new Date(NOW + ms).toISOString();

function fact(over: Partial<CertFact> = {}): CertFact {
  return {
    account: '111111111111',
    region: 'eu-west-1',
    arn: 'arn:aws:acm:eu-west-1:111111111111:certificate/a',
    domain: 'a.example.com',
    sans: [],
    type: 'AMAZON_ISSUED',
    keyAlgorithm: 'RSA_2048',
    status: 'ISSUED',
    notAfter: at(100 * DAY_MS),
    inUse: true,
    ...over,
  };
}

test('days left are whole days rounded down, negative once past, null without a date', () => {
  assert.equal(daysLeft(at(5 * DAY_MS), NOW), 5);
  assert.equal(daysLeft(at(5 * DAY_MS - 1), NOW), 4);
  assert.equal(daysLeft(at(0), NOW), 0);
  assert.equal(daysLeft(at(-1), NOW), -1);
  assert.equal(daysLeft(at(-DAY_MS - 1), NOW), -2);
  assert.equal(daysLeft(undefined, NOW), null);
  assert.equal(daysLeft('garbage', NOW), null);
});

test('severity boundaries: expired, under 7 days, under --days', () => {
  const sev = (ms: number, o: ReportOptions = opts) => severityOf(fact({ notAfter: at(ms) }), o);
  assert.equal(sev(-1), 'expired');
  assert.equal(sev(0), 'under-7-days', 'the last instant is still valid');
  assert.equal(sev(7 * DAY_MS - 1), 'under-7-days');
  assert.equal(sev(7 * DAY_MS), 'under-days');
  assert.equal(sev(30 * DAY_MS - 1), 'under-days');
  assert.equal(sev(30 * DAY_MS), 'ok', '30 whole days left is not under 30 days');
  assert.equal(severityOf(fact({ status: 'EXPIRED', notAfter: at(DAY_MS) }), opts), 'expired', 'ACM saying EXPIRED wins');
});

test('--days is the horizon: outside it nothing is a finding, however close', () => {
  const o = { now: NOW, days: 1 };
  assert.equal(severityOf(fact({ notAfter: at(3 * DAY_MS) }), o), 'ok');
  assert.equal(severityOf(fact({ notAfter: at(DAY_MS - 1) }), o), 'under-7-days');
  assert.equal(severityOf(fact({ notAfter: at(-1) }), o), 'expired');
  const wide = { now: NOW, days: 90 };
  assert.equal(severityOf(fact({ notAfter: at(60 * DAY_MS) }), wide), 'under-days');
});

test('renewal failing is a finding at any distance; within --days the expiry tier is shown instead', () => {
  assert.equal(severityOf(fact({ notAfter: at(50 * DAY_MS), renewalStatus: 'FAILED' }), opts), 'renewal-failing');
  assert.equal(severityOf(fact({ notAfter: at(10 * DAY_MS), renewalStatus: 'FAILED' }), opts), 'under-days');
  assert.equal(severityOf(fact({ notAfter: at(50 * DAY_MS), renewalStatus: 'PENDING_AUTO_RENEWAL' }), opts), 'ok');
});

test('imported and IAM certificates beyond --days are informational, then unused, then ok', () => {
  assert.equal(severityOf(fact({ type: 'IMPORTED', inUse: false }), opts), 'imported');
  assert.equal(severityOf(fact({ type: 'IAM', region: 'global', inUse: null }), opts), 'imported');
  assert.equal(severityOf(fact({ type: 'IMPORTED', notAfter: at(20 * DAY_MS) }), opts), 'under-days');
  assert.equal(severityOf(fact({ inUse: false }), opts), 'unused');
  assert.equal(severityOf(fact({ inUse: null }), opts), 'ok', 'unknown use is not "unused"');
  assert.equal(severityOf(fact({ notAfter: undefined }), opts), 'ok');
  assert.equal(severityOf(fact({ type: 'PRIVATE' }), opts), 'ok');
});

test('only expired, under-7-days, under-days and renewal-failing are findings', () => {
  const found = (['expired', 'under-7-days', 'under-days', 'renewal-failing', 'imported', 'unused', 'ok'] as const).filter((s) => isFinding({ severity: s }));
  assert.deepEqual(found, ['expired', 'under-7-days', 'under-days', 'renewal-failing']);
});

test('described: certificates within --days, and renewable ones inside the 60-day renewal window', () => {
  assert.equal(needsDescribe({ notAfter: at(29 * DAY_MS) }, opts), true);
  assert.equal(needsDescribe({ notAfter: at(-DAY_MS) }, opts), true);
  assert.equal(needsDescribe({ notAfter: at(45 * DAY_MS) }, opts), false);
  assert.equal(needsDescribe({ notAfter: at(45 * DAY_MS), renewalEligibility: 'ELIGIBLE' }, opts), true);
  assert.equal(needsDescribe({ notAfter: at(60 * DAY_MS), renewalEligibility: 'ELIGIBLE' }, opts), false);
  assert.equal(needsDescribe({ notAfter: undefined, renewalEligibility: 'ELIGIBLE' }, opts), false);
});

test('rows are sorted by days left (none last), then account, region, domain; counts cover every severity', () => {
  const rows = certRows(
    [
      fact({ arn: 'none', notAfter: undefined }),
      fact({ arn: 'far', notAfter: at(200 * DAY_MS) }),
      fact({ arn: 'b-later', account: '222222222222', notAfter: at(3 * DAY_MS + 5) }),
      fact({ arn: 'a-same', account: '111111111111', notAfter: at(3 * DAY_MS) }),
      fact({ arn: 'global', account: '111111111111', region: 'global', notAfter: at(3 * DAY_MS), type: 'IAM' }),
      fact({ arn: 'gone', notAfter: at(-3 * DAY_MS) }),
    ],
    opts,
  );
  assert.deepEqual(
    rows.map((r) => r.arn),
    ['gone', 'a-same', 'global', 'b-later', 'far', 'none'],
  );
  assert.deepEqual(
    rows.map((r) => r.daysLeft),
    [-3, 3, 3, 3, 200, null],
  );
  assert.deepEqual(countBySeverity(rows), { expired: 1, 'under-7-days': 3, 'under-days': 0, 'renewal-failing': 0, imported: 0, unused: 0, ok: 2 });
});
