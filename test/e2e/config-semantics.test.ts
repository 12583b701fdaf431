// Config forms the AWS CLI accepts that rolehop used to read differently,
// driven through the built CLI against moto: a quoted profile name with a
// space (through exec and through the AWS CLI's credential_process), headers
// the AWS CLI skips, a file that is not UTF-8, and a source profile whose
// own key ends the chain.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_PATH, runCli, type CliResult } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const noStack = (r: CliResult) => assert.doesNotMatch(r.stderr, /\n\s+at .*\.(m?js|ts):\d+/, 'no stack trace without --debug');

describe('config semantics that match the AWS CLI', () => {
  let world: World;
  const role = (i: number) => `arn:aws:iam::${world.accounts[i]}:role/OrganizationAccountAccessRole`;
  const callerAccount = (r: CliResult | { status: number | null; stdout: string; stderr: string }) => {
    assert.equal('code' in r ? r.code : r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { Account: string }).Account;
  };

  before(async () => {
    world = await startWorld({ proxy: true, targets: 2 });
    world.box.writeConfig(
      [
        '[profile alice]',
        'region = us-east-1',
        // Also a role: as the source of "via-alice" its own key must end the chain.
        `role_arn = ${role(1)}`,
        'source_profile = alice',
        '',
        '[profile "my team"]',
        `role_arn = ${role(0)}`,
        'source_profile = alice',
        '',
        '[profile via-alice]',
        `role_arn = ${role(0)}`,
        'source_profile = alice',
        // Its own session name: not the role session "my team" already cached.
        'role_session_name = via-alice',
        '',
        '[profile cp]',
        `credential_process = "${process.execPath}" "${CLI_PATH}" export "my team" --format credential-process`,
        'region = us-east-1',
        '',
        // Headers the AWS CLI skips: warnings, and every other profile still works.
        '[profile two words]',
        'region = us-east-1',
        '[profilex]',
        'region = us-east-1',
        '',
      ].join('\n'),
    );
    await world.storeKey();
  });
  after(async () => world?.stop());

  it('[profile "my team"] is the profile "my team" for exec, list and the AWS CLI through credential_process', async () => {
    const r = await runCli(['exec', 'my team', '--', 'aws', 'sts', 'get-caller-identity'], { env: world.env });
    assert.equal(callerAccount(r), world.accounts[0]);
    const viaCli = spawnSync('aws', ['sts', 'get-caller-identity', '--profile', 'cp'], { env: world.env, encoding: 'utf8' });
    assert.equal(callerAccount(viaCli), world.accounts[0]);
    const list = await runCli(['list', '--json'], { env: world.env });
    assert.equal(list.code, 0, list.stderr);
    const names = (JSON.parse(list.stdout) as { profiles: Array<{ name: string }> }).profiles.map((p) => p.name);
    assert.ok(names.includes('my team'), names.join(','));
  });

  it('headers the AWS CLI skips are warnings naming the line, not errors', async () => {
    const r = await runCli(['list'], { env: world.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /line 19: the section "\[profile two words\]" is ignored, as the AWS CLI ignores it: .*\[profile "two words"\]/);
    assert.match(r.stderr, /line 21: the section "\[profilex\]" is ignored/);
  });

  it("a source profile's own stored key ends the chain: one AssumeRole, its role_arn not assumed, and a warning", async () => {
    world.proxy.reset();
    const r = await runCli(['exec', 'via-alice', '--', 'aws', 'sts', 'get-caller-identity'], { env: world.env });
    assert.equal(callerAccount(r), world.accounts[0]);
    assert.equal(world.proxy.count('AssumeRole'), 1, "straight from the key, not through alice's own role");
    assert.match(r.stderr, /Profile "alice": its role_arn is not assumed: as the source_profile of "via-alice" it has a stored key of its own/);
  });

  it('a config file that is not UTF-8 is refused with exit 3, naming the line', async () => {
    const file = join(world.box.home, 'latin1-config');
    writeFileSync(file, Buffer.concat([Buffer.from('[profile ok]\nregion = us-east-1\n[profile caf'), Buffer.from([0xe9]), Buffer.from(']\n')]));
    const r = await runCli(['list'], { env: { ...world.env, AWS_CONFIG_FILE: file } });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`${file}, line 3: not valid UTF-8 text`));
    assert.match(r.stderr, /hint: Save the file as UTF-8/);
    noStack(r);
  });
});
