import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeCertificateCommand,
  ListCertificatesCommand,
  type ACMClient,
  type CertificateDetail,
  type CertificateSummary,
  type ListCertificatesCommandInput,
} from '@aws-sdk/client-acm';
import { ACM_KEY_TYPES, readAcmCertificates } from './acm-certificates.js';
import { DAY_MS } from './cert-report.js';

const NOW = Date.parse('2030-06-01T12:00:00Z');
const inDays = (d: number) => new Date(NOW + d * DAY_MS + 3600_000);

/** An ACM stand-in: pages of summaries by NextToken, details by ARN; records what was asked. */
function fakeAcm(pages: CertificateSummary[][], details: Record<string, CertificateDetail> = {}) {
  const lists: ListCertificatesCommandInput[] = [];
  const described: string[] = [];
  const client = {
    send: async (cmd: unknown) => {
      if (cmd instanceof ListCertificatesCommand) {
        lists.push(cmd.input);
        const i = cmd.input.NextToken ? Number(cmd.input.NextToken) : 0;
        return { CertificateSummaryList: pages[i], ...(i + 1 < pages.length ? { NextToken: String(i + 1) } : {}) };
      }
      if (cmd instanceof DescribeCertificateCommand) {
        described.push(cmd.input.CertificateArn!);
        return { Certificate: details[cmd.input.CertificateArn!] ?? {} };
      }
      throw new Error('unexpected command');
    },
  } as unknown as ACMClient;
  return { client, lists, described };
}

const where = { account: '111111111111', accountName: 'team-a', region: 'eu-west-1', now: NOW, days: 30 };

test('asks for every key type and the statuses that expire, on every page', async () => {
  const acm = fakeAcm([
    [
      {
        CertificateArn: 'arn:1',
        DomainName: 'one.example.com',
        NotAfter: inDays(100),
        Type: 'IMPORTED',
        Status: 'ISSUED',
        KeyAlgorithm: 'EC_prime256v1',
        InUse: false,
      },
    ],
    [
      {
        CertificateArn: 'arn:2',
        DomainName: 'two.example.com',
        NotAfter: inDays(200),
        Type: 'AMAZON_ISSUED',
        Status: 'ISSUED',
        KeyAlgorithm: 'RSA_4096',
        InUse: true,
      },
    ],
  ]);
  const facts = await readAcmCertificates(acm.client, where);
  assert.equal(acm.lists.length, 2);
  for (const input of acm.lists) {
    assert.deepEqual(input.Includes?.keyTypes, [...ACM_KEY_TYPES]);
    assert.equal(ACM_KEY_TYPES.length, 7);
    assert.deepEqual(input.CertificateStatuses, ['ISSUED', 'EXPIRED', 'INACTIVE']);
  }
  assert.equal(acm.lists[1]!.NextToken, '1');
  assert.deepEqual(
    facts.map((f) => [f.arn, f.keyAlgorithm, f.type, f.inUse, f.accountName, f.region]),
    [
      ['arn:1', 'EC_prime256v1', 'IMPORTED', false, 'team-a', 'eu-west-1'],
      ['arn:2', 'RSA_4096', 'AMAZON_ISSUED', true, 'team-a', 'eu-west-1'],
    ],
  );
  assert.deepEqual(acm.described, [], 'nothing near the threshold: no DescribeCertificate');
});

test('describes only certificates within --days or renewing, for what uses them and the renewal status', async () => {
  const acm = fakeAcm(
    [
      [
        { CertificateArn: 'near', DomainName: 'near.example.com', NotAfter: inDays(5), Type: 'IMPORTED', Status: 'ISSUED', InUse: true },
        { CertificateArn: 'renewing', DomainName: 'r.example.com', NotAfter: inDays(45), Type: 'AMAZON_ISSUED', RenewalEligibility: 'ELIGIBLE', InUse: true },
        { CertificateArn: 'far', DomainName: 'far.example.com', NotAfter: inDays(45), Type: 'AMAZON_ISSUED', RenewalEligibility: 'INELIGIBLE', InUse: true },
      ],
    ],
    {
      near: {
        InUseBy: ['arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/1'],
        SubjectAlternativeNames: ['near.example.com', 'www.near.example.com'],
      },
      renewing: {
        InUseBy: ['arn:aws:cloudfront::111111111111:distribution/E1'],
        RenewalSummary: { RenewalStatus: 'FAILED', DomainValidationOptions: [], UpdatedAt: new Date() },
      },
    },
  );
  const facts = await readAcmCertificates(acm.client, where);
  assert.deepEqual(acm.described, ['near', 'renewing']);
  const byArn = Object.fromEntries(facts.map((f) => [f.arn, f]));
  assert.deepEqual(byArn.near!.inUseBy, ['arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/1']);
  assert.deepEqual(byArn.near!.sans, ['near.example.com', 'www.near.example.com']);
  assert.equal(byArn.renewing!.renewalStatus, 'FAILED');
  assert.equal(byArn.far!.inUseBy, undefined);
  assert.equal(byArn.far!.renewalStatus, undefined);
});
