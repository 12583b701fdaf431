// Self-test of the test helpers: moto, the counting proxy with fault
// injection, the fake MFA check, the sandbox, runCli, the world and the test
// context.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { STSClient, GetCallerIdentityCommand, GetSessionTokenCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { OrganizationsClient, ListAccountsCommand } from '@aws-sdk/client-organizations';
import type { MotoServer } from './helpers/moto.js';
import { failAction, composeFaults, Faults, type CountingProxy } from './helpers/counting-proxy.js';
import { requireMfa, totpCode } from './helpers/fake-mfa.js';
import { makeSandbox, type Sandbox } from './helpers/sandbox.js';
import { runCli, seedMotoIdentity, createTargetAccounts, MOTO_ROOT_CREDENTIALS, type MotoIdentity } from './helpers/run-cli.js';
import { startWorld, type World } from './helpers/world.js';
import { testContext } from './helpers/context.js';

describe('test helpers', () => {
  let moto: MotoServer;
  let proxy: CountingProxy;
  let alice: MotoIdentity;
  let world: World;
  const clients: Array<{ destroy(): void }> = [];
  const sts = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = MOTO_ROOT_CREDENTIALS) => {
    const c = new STSClient({ endpoint: proxy.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };

  before(async () => {
    world = await startWorld({ build: false, proxy: true, sandbox: false });
    ({ moto, proxy, alice } = world);
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await world?.stop();
  });

  it('the world throws for a part it was not asked for', () => {
    assert.throws(() => world.box, /no sandbox/);
    assert.throws(() => world.env, /no sandbox/);
    assert.equal(world.endpoint, proxy.url);
  });

  it('seeds alice with an MFA device and a key in 123456789012', async () => {
    assert.match(alice.accessKeyId, /^AKIA/);
    assert.ok(alice.secretAccessKey.length >= 20);
    assert.equal(alice.mfaSerial, 'arn:aws:iam::123456789012:mfa/alice');
    assert.match(alice.mfaSeed, /^[A-Z2-7]+=*$/);
    const me = await sts(alice).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, '123456789012');
    assert.equal(me.Arn, 'arn:aws:iam::123456789012:user/alice');
  });

  it('counts operations and access key ids', async () => {
    proxy.reset();
    await sts(alice).send(new GetCallerIdentityCommand({}));
    await sts(alice).send(new GetSessionTokenCommand({ SerialNumber: alice.mfaSerial, TokenCode: '123456' }));
    assert.equal(proxy.count('GetCallerIdentity'), 1);
    assert.equal(proxy.count('GetSessionToken'), 1);
    assert.equal(proxy.count('AssumeRole'), 0);
    const [first, second] = proxy.calls;
    assert.equal(first!.accessKeyId, alice.accessKeyId);
    assert.equal(first!.service, 'sts');
    assert.equal(first!.protocol, 'query');
    assert.equal(first!.status, 200);
    assert.equal(second!.serialNumber, alice.mfaSerial);
    assert.equal(second!.hasTokenCode, true);
  });

  it('injects a Query-protocol fault the SDK reads as that error code', async () => {
    proxy.reset();
    proxy.setFault(failAction('AssumeRole', Faults.accessDenied(), 1));
    const roleArn = 'arn:aws:iam::210987654321:role/Admin';
    await assert.rejects(
      sts().send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's' })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata?.httpStatusCode, 403);
        return true;
      },
    );
    const ok = await sts().send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's' }));
    assert.match(ok.Credentials!.AccessKeyId!, /^ASIA/);
    assert.deepEqual(
      proxy.calls.map((c) => [c.roleArn, c.faulted]),
      [
        [roleArn, true],
        [roleArn, false],
      ],
    );
    proxy.setFault(composeFaults(undefined, failAction('GetCallerIdentity', { ...Faults.throttling(), delayMs: 50 })));
    const t0 = Date.now();
    await assert.rejects(sts().send(new GetCallerIdentityCommand({})), { name: 'Throttling' });
    assert.ok(Date.now() - t0 >= 45);
    proxy.setFault(undefined);
  });

  it('injects a JSON-protocol fault (Organizations)', async () => {
    const accounts = await createTargetAccounts(moto.url, 2);
    assert.equal(accounts.length, 2);
    for (const id of accounts) assert.match(id, /^\d{12}$/);
    const org = new OrganizationsClient({ endpoint: proxy.url, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS, maxAttempts: 1 });
    clients.push(org);
    proxy.reset();
    const listed = await org.send(new ListAccountsCommand({}));
    assert.ok(accounts.every((id) => listed.Accounts!.some((a) => a.Id === id)));
    proxy.setFault(failAction('ListAccounts', { status: 400, code: 'AccessDeniedException', message: 'no' }));
    await assert.rejects(org.send(new ListAccountsCommand({})), { name: 'AccessDeniedException' });
    proxy.setFault(undefined);
    assert.equal(proxy.count('ListAccounts'), 2);
    assert.equal(proxy.calls[0]!.protocol, 'json');
    assert.equal(proxy.calls[0]!.target, 'AWSOrganizationsV20161128.ListAccounts');
  });

  it('requireMfa denies wrong and reused codes', async () => {
    proxy.setFault(requireMfa({ serial: alice.mfaSerial, totpSecret: alice.mfaSeed, validCodes: ['999999'], rejectReuse: true }));
    try {
      const gst = (SerialNumber: string, TokenCode: string) => sts(alice).send(new GetSessionTokenCommand({ SerialNumber, TokenCode }));
      await assert.rejects(gst(alice.mfaSerial, '000000'), { name: 'AccessDenied', message: /invalid MFA one time pass code/ });
      await assert.rejects(gst('arn:aws:iam::123456789012:mfa/bob', '999999'), { name: 'AccessDenied' });
      await gst(alice.mfaSerial, '999999');
      await assert.rejects(gst(alice.mfaSerial, '999999'), { name: 'AccessDenied' }, 'a code works once');
      await gst(alice.mfaSerial, totpCode(alice.mfaSeed));
      await sts(alice).send(new GetSessionTokenCommand({})); // no MFA at all: allowed, as in AWS
    } finally {
      proxy.setFault(undefined);
    }
  });

  it('survives hundreds of concurrent clients', async () => {
    proxy.reset();
    const client = sts(alice);
    await Promise.all(Array.from({ length: 200 }, () => client.send(new GetCallerIdentityCommand({}))));
    assert.equal(proxy.count('GetCallerIdentity'), 200);
    assert.ok(proxy.calls.every((c) => c.status === 200));
  });

  it('keeps answering while this thread is blocked in spawnSync', () => {
    proxy.reset();
    const auth = 'AWS4-HMAC-SHA256 Credential=AKIASYNCPROBE0000000/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0';
    const script = `fetch(process.argv[1], { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: '${auth}' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(2))`;
    const r = spawnSync(process.execPath, ['-e', script, proxy.url], { timeout: 20_000 });
    assert.equal(r.status, 0, String(r.stderr));
    assert.equal(proxy.count('GetCallerIdentity'), 1, 'seen synchronously right after the child returns');
    assert.equal(proxy.calls[0]!.accessKeyId, 'AKIASYNCPROBE0000000');
    assert.equal(proxy.calls[0]!.status, 200);
  });

  it('reset() empties moto', async () => {
    await moto.reset();
    alice = await seedMotoIdentity(moto.url); // the name is free again
  });
});

describe('sandbox and runCli', () => {
  let box: Sandbox;
  before(async () => {
    box = await makeSandbox();
  });
  after(async () => box?.cleanup());

  it('builds a clean environment', () => {
    const env = box.env({ EXTRA: '1', ROLEHOP_FILE_PASSPHRASE: undefined });
    assert.equal(env.HOME, box.home);
    assert.equal(env.ROLEHOP_BACKEND, 'file');
    assert.equal(env.EXTRA, '1');
    assert.equal(env.ROLEHOP_FILE_PASSPHRASE, undefined);
    assert.equal(box.env().ROLEHOP_FILE_PASSPHRASE, 'test-passphrase');
    assert.equal(env.DBUS_SESSION_BUS_ADDRESS, undefined);
    assert.deepEqual(
      Object.keys(env)
        .filter((k) => k.startsWith('AWS_'))
        .sort(),
      ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'],
    );
  });

  it('finds plain-text secrets', () => {
    box.writeConfig('[profile a]\nregion = us-east-1\n');
    writeFileSync(join(box.home, 'leak'), 'xx-SECRET-xx');
    assert.deepEqual(box.grepSecret('SECRET'), [join(box.home, 'leak')]);
    assert.deepEqual(box.grepSecret('not-there'), []);
  });

  it('runCli passes env and stdin, reports exit codes and timeouts', async () => {
    const script = join(box.home, 'fake-cli.mjs');
    writeFileSync(
      script,
      `let s = ''; process.stdin.on('data', (c) => (s += c)).on('end', () => {
        if (process.argv[2] === 'hang') return setTimeout(() => {}, 60000);
        process.stdout.write(JSON.stringify({ args: process.argv.slice(2), home: process.env.HOME, ctx: process.env.NODE_TEST_CONTEXT ?? null, stdin: s }));
        process.stderr.write('err');
        process.exit(3);
      });`,
    );
    const r = await runCli(['a', 'b'], { env: { ...box.env(), NODE_TEST_CONTEXT: 'child' }, input: 'hello', cli: script });
    assert.equal(r.code, 3);
    assert.equal(r.stderr, 'err');
    assert.deepEqual(JSON.parse(r.stdout), { args: ['a', 'b'], home: box.home, ctx: null, stdin: 'hello' });
    const hung = await runCli(['hang'], { env: box.env(), cli: script, timeoutMs: 300 });
    assert.equal(hung.timedOut, true);
    assert.equal(hung.code, 124);
  });
});

describe('testContext', () => {
  it('gives what the test set, and throws or rejects for the rest', async () => {
    const warned: string[] = [];
    const ctx = testContext({ homeDir: '/h', logger: { warn: (m) => void warned.push(m) }, prompter: { mfaCode: async () => '123456' } });
    assert.equal(ctx.homeDir, '/h');
    ctx.logger.warn('w');
    assert.deepEqual(warned, ['w']);
    assert.equal(await ctx.prompter.mfaCode({ serial: 's', profile: 'p' }), '123456');
    assert.throws(() => ctx.env, /ctx\.env used, but this test did not set it/);
    assert.throws(() => ctx.clock, /ctx\.clock/);
    assert.throws(() => ctx.logger.debug('d'), /ctx\.logger\.debug/);
    await assert.rejects(ctx.prompter.passphrase({ purpose: 'unlock', path: '/v' }), /ctx\.prompter\.passphrase/);
  });
});
