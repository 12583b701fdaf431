// `rolehop run --sso-session NAME --role ROLE` over 50 accounts Identity
// Center assigns (the fake, backed by moto): one ListAccounts, one
// ListAccountRoles and one GetRoleCredentials per account, no AssumeRole,
// every account's result present; usage mistakes are exit 2 with a hint.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeIdentityCenter, type FakeIdentityCenter } from '../helpers/fake-identity-center.js';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 50;
const JOB = join(REPO_ROOT, 'test', 'engine', 'fixtures', 'caller-account.mjs');

describe('run over an IAM Identity Center session', { timeout: 600_000 }, () => {
  let world: World;
  let fake: FakeIdentityCenter;
  let env: Record<string, string>;
  // Any 12-digit id will do: moto's AssumeRole (which mints the role credentials) takes any account.
  const ids = Array.from({ length: N }, (_, i) => String(210000000000 + i * 7919));

  before(async () => {
    world = await startWorld({ identity: false, proxy: true });
    fake = await startFakeIdentityCenter({
      motoUrl: world.moto.url,
      accounts: ids.map((accountId, i) => ({ accountId, accountName: `acct-${i}` })),
      switches: { autoApprove: true },
    });
    env = { ...world.env, AWS_ENDPOINT_URL_SSO_OIDC: fake.url, AWS_ENDPOINT_URL_SSO: fake.url, AWS_REGION: 'us-east-1' };
    world.box.writeConfig(['[sso-session corp]', `sso_start_url = ${fake.startUrl}`, 'sso_region = us-east-1', ''].join('\n'));
    assert.equal((await runCli(['sso', 'login', '--session', 'corp', '--no-browser'], { env })).code, 0);
  });
  after(async () => {
    await fake?.stop();
    await world?.stop();
  });

  test(`${N} assigned accounts: one GetRoleCredentials each, no AssumeRole, every result`, async () => {
    fake.resetCounts();
    world.proxy.reset();
    const r = await runCli(['--json', 'run', '--sso-session', 'corp', '--role', 'ReadOnly', '--job', JOB], { env, timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { account: string; ok: boolean; value: { account: string } });
    assert.equal(lines.length, N);
    assert.deepEqual(lines.map((l) => l.account).sort(), [...ids].sort());
    for (const l of lines) assert.equal(l.value.account, l.account);
    assert.equal(fake.counts.accounts, Math.ceil(N / 20), 'one ListAccounts walk (the fake pages by 20)');
    assert.equal(fake.counts.roles, N);
    assert.equal(fake.counts.credentials, N);
    assert.equal(world.proxy.count('AssumeRole'), 0);
    assert.match(r.stderr, new RegExp(`${N} GetRoleCredentials calls`));
  });

  test("sso populate --write: one profile per account and role, the user's own section kept, a rerun changes nothing", async () => {
    const own = '[profile acct-3-ReadOnly]\nregion = eu-west-1\n';
    world.box.writeConfig(['[sso-session corp]', `sso_start_url = ${fake.startUrl}`, 'sso_region = us-east-1', '', own].join('\n'));
    const dry = await runCli(['sso', 'populate', '--session', 'corp'], { env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /^\[profile acct-4-Admin\]\n# rolehop: sso-session corp, account \d{12} \(acct-4\)\nsso_session = corp\nsso_account_id = \d{12}\nsso_role_name = Admin$/m,
    );
    const w = await runCli(['sso', 'populate', '--session', 'corp', '--region', 'us-east-1', '--write'], { env });
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, new RegExp(`${2 * N - 1} profiles written to .*\\(1 kept as your own: "acct-3-ReadOnly"\\)`));
    const text = readFileSync(world.box.awsConfigFile, 'utf8');
    assert.ok(text.includes(own), 'the user section is untouched');
    const exec = await runCli(['exec', 'acct-4-Admin', '--', 'aws', 'sts', 'get-caller-identity'], { env });
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal((JSON.parse(exec.stdout) as { Account: string }).Account, ids[4]);
    assert.equal((await runCli(['sso', 'populate', '--session', 'corp', '--region', 'us-east-1', '--write'], { env })).code, 0);
    assert.equal(readFileSync(world.box.awsConfigFile, 'utf8'), text, 'a rerun changes nothing');
  });

  test('--name narrows the accounts; mistakes are exit 2 with a hint', async () => {
    const narrowed = await runCli(['--json', 'run', '--sso-session', 'corp', '--role', 'ReadOnly', '--name', 'acct-1?', '--job', JOB], {
      env,
      timeoutMs: 120_000,
    });
    assert.equal(narrowed.code, 0, narrowed.stderr);
    assert.equal(narrowed.stdout.trim().split('\n').length, 10);
    const noRole = await runCli(['run', '--sso-session', 'corp', '--job', JOB], { env });
    assert.equal(noRole.code, 2);
    assert.match(noRole.stderr, /--sso-session needs --role/);
    const wrongRole = await runCli(['run', '--sso-session', 'corp', '--role', 'Nope', '--job', JOB], { env });
    assert.equal(wrongRole.code, 2);
    assert.match(wrongRole.stderr, /hint: Pass --role with one of: Admin, ReadOnly/);
    const clash = await runCli(['run', '--sso-session', 'corp', '--role', 'ReadOnly', '--org', '--job', JOB], { env });
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /cannot be combined with --org/);
    for (const x of [noRole, wrongRole, clash]) assert.doesNotMatch(x.stderr, /\n\s+at .*\.(m?js|ts):\d+/);
  });
});
