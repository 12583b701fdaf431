// `rolehop certs` through the built CLI against moto: 20 accounts × 2
// regions (eu-west-1, and us-east-1 which is always added), certificates
// imported with chosen expiry dates and key types, one IAM server
// certificate whose body expires soon, and in front of it all a fake that
// applies AWS's default key-type filter (moto has none).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACMClient, ImportCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { IAMClient, UploadServerCertificateCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startAcmKeyFilter, type AcmKeyFilter } from '../helpers/acm-key-filter.js';
import { MOTO_ROOT_CREDENTIALS, runCli } from '../helpers/run-cli.js';
import { makeCert, type TestKey } from '../helpers/test-certs.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 20;
const DAY = 86_400_000;
const REGION = 'eu-west-1';

interface CertLine {
  account: string;
  region: string;
  arn: string;
  domain: string;
  type: string;
  keyAlgorithm: string;
  status: string;
  notAfter: string;
  daysLeft: number;
  inUse: boolean | null;
  severity: string;
  error?: { code: string; message: string };
}

/** What the test imports: account index, where, the key, and days left (plus half a day, so rounding down is never on an edge). */
const SEEDS: Array<{ i: number; region: string; key: TestKey; days: number; domain: string; iam?: true }> = [
  { i: 0, region: REGION, key: 'rsa2048', days: 5, domain: 'rsa2048.example.com' },
  { i: 1, region: 'us-east-1', key: 'ec256', days: 20, domain: 'ec256.example.com' },
  { i: 2, region: REGION, key: 'rsa4096', days: 3, domain: 'rsa4096.example.com' },
  { i: 3, region: 'us-east-1', key: 'rsa2048', days: 200, domain: 'far.example.com' },
  { i: 4, region: 'global', key: 'rsa2048', days: 2, domain: 'legacy.example.com', iam: true },
];

describe('rolehop certs against moto', () => {
  let world: World;
  let filter: AcmKeyFilter;
  let env: Record<string, string>;
  let accountsFile: string;
  let accounts: string[];

  async function credsOf(account: string) {
    const sts = new STSClient({ region: 'us-east-1', endpoint: world.moto.url, credentials: MOTO_ROOT_CREDENTIALS });
    try {
      const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'seed' }));
      const c = r.Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    } finally {
      sts.destroy();
    }
  }

  const certs = (args: string[]) => runCli(['--mfa-token', '123456', ...args], { env, timeoutMs: 180_000 });
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CertLine);

  before(async () => {
    world = await startWorld({ proxy: true, targets: N, env: { AWS_PROFILE: 'alice' } });
    accounts = world.accounts;
    filter = await startAcmKeyFilter(world.proxy.url);
    env = { ...world.env, AWS_ENDPOINT_URL: filter.url };
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    accountsFile = join(world.box.home, 'accounts.txt');
    writeFileSync(accountsFile, `${accounts.map((a, i) => `${a} team-${i}`).join('\n')}\n`);
    await world.storeKey();
    for (const s of SEEDS) {
      const made = makeCert({ domain: s.domain, sans: [`www.${s.domain}`], notAfter: new Date(Date.now() + s.days * DAY + DAY / 2), key: s.key });
      const credentials = await credsOf(accounts[s.i]!);
      if (s.iam) {
        const iam = new IAMClient({ region: 'us-east-1', endpoint: world.moto.url, credentials });
        await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'legacy', CertificateBody: made.cert, PrivateKey: made.key }));
        iam.destroy();
      } else {
        const acm = new ACMClient({ region: s.region, endpoint: world.moto.url, credentials });
        await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(made.cert), PrivateKey: Buffer.from(made.key) }));
        acm.destroy();
      }
    }
  });
  after(async () => {
    await filter?.stop();
    await world?.stop();
  });

  it('the fake hides EC and RSA-4096 certificates from a ListCertificates that names no key types, as AWS does', async () => {
    const acm = new ACMClient({ region: 'us-east-1', endpoint: filter.url, credentials: await credsOf(accounts[1]!) });
    try {
      const plain = await acm.send(new ListCertificatesCommand({}));
      assert.deepEqual(plain.CertificateSummaryList ?? [], [], 'the EC prime256v1 certificate is hidden by default');
      const asked = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_prime256v1'] } }));
      assert.equal(asked.CertificateSummaryList?.length, 1);
      assert.ok(filter.dropped >= 1);
    } finally {
      acm.destroy();
    }
  });

  it('--days 30 --json finds exactly the seeded expiring certificates with their days left, and exits 12', async () => {
    world.proxy.reset();
    const listsBefore = filter.lists.length;
    const droppedBefore = filter.dropped;
    const t0 = Date.now();
    const r = await certs(['--json', 'certs', '--accounts-file', accountsFile, '--regions', REGION, '--days', '30']);
    const ms = Date.now() - t0;
    assert.equal(r.code, 12, r.stderr);
    const found = lines(r.stdout);
    assert.equal(found.filter((l) => l.error).length, 0, r.stdout);
    const seen = found.map((l) => `${l.account} ${l.region} ${l.domain} ${l.keyAlgorithm} ${l.type} ${l.daysLeft} ${l.severity}`).sort();
    assert.deepEqual(
      seen,
      [
        `${accounts[0]} ${REGION} rsa2048.example.com RSA_2048 IMPORTED 5 under-7-days`,
        `${accounts[1]} us-east-1 ec256.example.com EC_prime256v1 IMPORTED 20 under-days`,
        `${accounts[2]} ${REGION} rsa4096.example.com RSA_4096 IMPORTED 3 under-7-days`,
        `${accounts[3]} us-east-1 far.example.com RSA_2048 IMPORTED 200 imported`,
        `${accounts[4]} global legacy.example.com RSA_2048 IAM 2 under-7-days`,
      ].sort(),
    );
    for (const l of found) {
      assert.equal(l.status, 'ISSUED');
      assert.match(l.arn, new RegExp(`:${l.account}:`));
      assert.ok(!Number.isNaN(Date.parse(l.notAfter)));
    }
    assert.equal(found.find((l) => l.type === 'IAM')?.inUse, null, 'IAM does not say what uses a server certificate');
    // Every ListCertificates named all seven key types, so the default filter never bit.
    const mine = filter.lists.slice(listsBefore);
    assert.equal(mine.length, N * 2);
    for (const k of mine) assert.deepEqual(k, ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1']);
    assert.equal(filter.dropped, droppedBefore);
    // One AssumeRole and one IAM listing per account; described only what is within --days.
    const p = world.proxy;
    assert.equal(p.count('AssumeRole'), N);
    assert.equal(p.count('ListCertificates'), N * 2);
    assert.equal(p.count('ListServerCertificates'), N);
    assert.equal(p.count('GetServerCertificate'), 1);
    assert.equal(p.count('DescribeCertificate'), 3);
    assert.match(r.stderr, /5 certificates: 0 expired, 3 under 7 days, 1 under 30 days, 0 renewal failing, 1 imported, 0 unused, 0 ok; 40 targets, 0 failed/);
    console.log(`# certs over ${N} accounts × 2 regions: ${ms} ms, ${p.calls.length} calls`);
  });

  it('--days sets the horizon: 4 days flags the two closest (table), 1 day nothing (CSV, exit 0)', async () => {
    const four = await certs(['certs', '--accounts-file', accountsFile, '--regions', REGION, '--days', '4']);
    assert.equal(four.code, 12, four.stderr);
    const body = four.stdout.split('\n');
    const header = body.findIndex((l) => /severity.*days.*not after.*account/.test(l));
    assert.ok(header >= 0, four.stdout);
    const rows = body.filter((l) => /example\.com/.test(l));
    assert.equal(rows.length, 5);
    assert.match(rows[0]!, /under-7-days.*\b2\b.*global.*IAM.*legacy\.example\.com \(\+1\)/);
    assert.match(rows[1]!, /under-7-days.*\b3\b.*RSA_4096.*rsa4096\.example\.com/);
    assert.match(rows[2]!, /imported.*\b5\b.*rsa2048\.example\.com/);
    assert.match(four.stderr, /0 expired, 2 under 7 days, 0 renewal failing, 3 imported/);

    const one = await certs(['certs', '--accounts-file', accountsFile, '--regions', REGION, '--days', '1', '--csv']);
    assert.equal(one.code, 0, one.stderr);
    const records = one.stdout.split('\r\n').filter(Boolean);
    assert.equal(
      records[0],
      'severity,daysLeft,notAfter,account,accountName,region,type,status,keyAlgorithm,domain,sans,inUse,inUseBy,renewalEligibility,renewalStatus,arn',
    );
    assert.equal(records.length, 6);
    assert.deepEqual(
      records.slice(1).map((l) => l.split(',').slice(0, 2).join(' ')),
      ['imported 2', 'imported 3', 'imported 5', 'imported 20', 'imported 200'],
    );
  });

  it('an account that denies the role is a failure row with its code and exit 10; the others finish', async () => {
    const denied = accounts[N - 1]!;
    world.proxy.setFault((c) =>
      c.action === 'AssumeRole' && c.roleArn?.split(':')[4] === denied ? { status: 403, code: 'AccessDenied', message: 'not authorized to assume' } : undefined,
    );
    try {
      const r = await certs(['--json', 'certs', '--accounts-file', accountsFile, '--regions', REGION]);
      assert.equal(r.code, 10, r.stderr);
      const all = lines(r.stdout);
      const failed = all.filter((l) => l.error);
      assert.deepEqual(failed.map((l) => `${l.account} ${l.region} ${l.error?.code}`).sort(), [
        `${denied} ${REGION} ERR_AWS_ACCESS_DENIED`,
        `${denied} us-east-1 ERR_AWS_ACCESS_DENIED`,
      ]);
      assert.equal(all.filter((l) => !l.error).length, 5, 'every other account was read');
      assert.match(r.stderr, /40 targets, 2 failed/);
      // On a terminal-style run the failure is a line on stderr; the table still has the other account's certificate.
      const text = await certs(['certs', '--accounts', `${accounts[0]},${denied}`, '--regions', REGION]);
      assert.equal(text.code, 10, text.stderr);
      assert.match(text.stderr, new RegExp(`✗ ${denied} us-east-1: ERR_AWS_ACCESS_DENIED`));
      assert.match(text.stdout, /rsa2048\.example\.com/);
      assert.doesNotMatch(text.stderr, /\n\s+at /);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    } finally {
      world.proxy.setFault(undefined);
    }
  });

  it('bad input is refused before any AWS call, with a hint and no stack trace', async () => {
    for (const [args, message, hint] of [
      [['--days', 'abc'], /--days must be a positive whole number of days, not "abc"/, /--days 30/],
      [['--days', '0'], /--days must be a positive whole number/, /--days 30/],
      [['--days', '1.5'], /--days must be a positive whole number/, /--days 30/],
      [['--regions', 'eu-wes-1'], /"eu-wes-1" is not a known region name/, /Did you mean eu-west-1\?/],
    ] as const) {
      world.proxy.reset();
      const r = await certs(['certs', '--accounts-file', accountsFile, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, hint);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.equal(world.proxy.calls.length, 0, `${args.join(' ')} made AWS calls`);
    }
  });
});
