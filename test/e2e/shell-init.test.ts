// `rolehop shell-init` driven the way it is used: an interactive bash and
// zsh on a pseudo-terminal load the function, switch to a role, call the
// real AWS CLI against moto behind the counting proxy, and unset again.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { hasPythonPty } from '../helpers/pty.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { hasShell, runShellSession } from '../helpers/shell-session.js';
import { startWorld, type World } from '../helpers/world.js';

const hasAwsCli = spawnSync('aws', ['--version']).status === 0;
const MFA: [string, string] = ['MFA code for', '123456\r'];

/** `name=value` lines of `env | grep ^AWS_` in a step's output. */
function awsVariables(output: string): Record<string, string> {
  return Object.fromEntries([...output.matchAll(/^(AWS_[A-Z_]+)=(.*?)\r?$/gm)].map((m) => [m[1]!, m[2]!]));
}

// The prompt is redrawn on every key; a question starts where it is drawn
// with an empty answer, the cursor moved (ESC [) right after the colon.
// oxlint-disable-next-line no-control-regex
const mfaPrompts = (output: string) => [...output.matchAll(/MFA code for [^\r\n]*?\):\x1b\[/g)].length;

describe('shell-init: rh in interactive shells', { skip: !hasPythonPty ? 'python3 pty missing' : !hasAwsCli ? 'aws CLI missing' : false }, () => {
  let world: World;
  let account: string;
  let env: Record<string, string>;

  before(async () => {
    world = await startWorld({ proxy: true, targets: 1 });
    account = world.accounts[0]!;
    world.writeRoleConfig({ prod: account });
    await world.storeKey();
    // `rolehop` on PATH, as an installed package gives it.
    const bin = join(world.box.home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'rolehop'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_PATH}" "$@"\n`, { mode: 0o755 });
    // AWS_PROFILE as a user may have it: rh must remove it, or the AWS CLI would prefer it.
    env = { ...world.env, PATH: `${bin}:${world.env.PATH}`, AWS_PROFILE: 'alice' };
  });
  after(async () => world?.stop());

  for (const shell of ['bash', 'zsh'] as const) {
    it(
      `${shell}: rh prod reaches the account, a second rh makes no STS call, --unset clears, secrets stay out of history`,
      { skip: hasShell(shell) ? false : `${shell} missing` },
      async () => {
        await runCli(['clear'], { env });
        world.proxy.reset();
        const s = await runShellSession(
          shell,
          [
            { line: `eval "$(rolehop shell-init ${shell})"` },
            { line: 'rh prod', answers: [MFA] },
            { line: 'aws sts get-caller-identity --query Account --output text' },
            { line: 'env | grep ^AWS_ | sort; echo "profile=$ROLEHOP_PROFILE expires=$ROLEHOP_EXPIRES"' },
            { line: 'rh prod' },
            { line: 'rolehop whoami' },
            { line: 'rh nosuch' },
            { line: 'echo "still=$ROLEHOP_PROFILE"' },
            { line: 'rh prod -- aws sts get-caller-identity --query Account --output text' },
            { line: 'rh --unset' },
            // The sandbox's own AWS_ settings (config file paths, moto's endpoint) stay.
            { line: `env | grep ^AWS_ | grep -v -e ^AWS_CONFIG_FILE= -e ^AWS_SHARED_CREDENTIALS_FILE= -e ^AWS_ENDPOINT_URL=` },
            { line: 'echo "profile=[$ROLEHOP_PROFILE] expires=[$ROLEHOP_EXPIRES]"' },
          ],
          { env },
        );
        const [init, rh1, caller, vars, rh2, whoami, unknown, still, execStep, unset, leftover, markers] = s.steps;
        assert.equal(init!.status, 0, s.transcript);
        assert.equal(rh1!.status, 0, s.transcript);
        assert.equal(mfaPrompts(rh1!.output), 1, `one MFA prompt, on the terminal, while stdout was captured:\n${rh1!.output}`);
        assert.equal(caller!.status, 0, s.transcript);
        assert.match(caller!.output, new RegExp(`^${account}\\r?$`, 'm'), 'the AWS CLI reaches the role account');

        const held = awsVariables(vars!.output);
        assert.ok(held.AWS_ACCESS_KEY_ID?.startsWith('ASIA'), 'temporary credentials, never the stored key');
        assert.ok(held.AWS_SECRET_ACCESS_KEY && held.AWS_SESSION_TOKEN, s.transcript);
        assert.equal(held.AWS_PROFILE, undefined, 'AWS_PROFILE removed');
        assert.equal(held.AWS_REGION, 'us-east-1');
        assert.match(vars!.output, /profile=prod expires=\d{10}/);

        assert.equal(rh2!.status, 0, s.transcript);
        assert.equal(mfaPrompts(rh2!.output), 0);
        assert.equal(whoami!.status, 0, s.transcript);
        assert.match(whoami!.output, new RegExp(`account +${account}`));
        assert.match(whoami!.output, /role +arn:aws:iam::\d+:role\/OrganizationAccountAccessRole/);

        assert.equal(unknown!.status, 3, 'unknown profile: exit 3, passed through');
        assert.match(unknown!.output, /nosuch/);
        assert.match(still!.output, /still=prod/, 'a failed rh leaves the shell as it was');

        assert.equal(execStep!.status, 0, s.transcript);
        assert.match(execStep!.output, new RegExp(`^${account}\\r?$`, 'm'), 'rh PROFILE -- CMD runs like exec, not refused as nested');

        assert.equal(unset!.status, 0);
        assert.equal(leftover!.status, 1, `no AWS_ variable left:\n${leftover!.output}`);
        assert.deepEqual(awsVariables(leftover!.output), {});
        assert.match(markers!.output, /profile=\[\] expires=\[\]/);
        assert.equal(s.code, 0, s.transcript);

        // One GetSessionToken and one AssumeRole for the whole session: the
        // second rh, whoami and the exec were served from the session cache.
        assert.equal(world.proxy.count('GetSessionToken'), 1);
        assert.equal(world.proxy.count('AssumeRole'), 1);
        assert.equal(world.proxy.count('GetCallerIdentity'), 2, 'only the two AWS CLI calls');

        assert.ok(existsSync(s.historyFile), 'the shell wrote its history');
        const history = readFileSync(s.historyFile, 'utf8');
        assert.match(history, /rh prod/);
        for (const secret of [held.AWS_SECRET_ACCESS_KEY!, held.AWS_SESSION_TOKEN!]) {
          assert.ok(!history.includes(secret), 'secret in the history file');
          assert.deepEqual(world.box.grepSecret(secret), [], 'secret in a file under HOME');
        }
      },
    );
  }

  it('bash: rh PROFILE after the sessions are gone refreshes with one MFA prompt', { skip: hasShell('bash') ? false : 'bash missing' }, async () => {
    await runCli(['clear'], { env });
    world.proxy.reset();
    const s = await runShellSession(
      'bash',
      [
        { line: 'eval "$(rolehop shell-init bash --name assume)"' },
        { line: 'assume prod', answers: [MFA] },
        { line: 'old=$AWS_ACCESS_KEY_ID; rolehop clear >/dev/null' },
        { line: 'assume prod', answers: [MFA] },
        { line: '[ "$old" != "$AWS_ACCESS_KEY_ID" ]' },
      ],
      { env },
    );
    assert.deepEqual(
      s.steps.map((x) => x.status),
      [0, 0, 0, 0, 0],
      s.transcript,
    );
    assert.equal(mfaPrompts(s.steps[3]!.output), 1, 'exactly one MFA prompt on refresh');
    assert.equal(world.proxy.count('GetSessionToken'), 2);
  });

  it(
    'rh alone opens the profile picker and switches to the profile typed; rh before shell-init is "command not found"',
    { skip: hasShell('bash') ? false : 'bash missing' },
    async () => {
      await runCli(['clear'], { env });
      const s = await runShellSession(
        'bash',
        [
          { line: 'rh' },
          { line: 'eval "$(rolehop shell-init bash)"' },
          { line: 'rh', answers: [['Profile', 'prd'], ['\u276f prod', '\r'], MFA] },
          { line: 'aws sts get-caller-identity --query Account --output text; echo "profile=$ROLEHOP_PROFILE"' },
          { line: 'rh', answers: [['Profile', '\x1b']] },
          { line: 'echo "profile=[$ROLEHOP_PROFILE]"' },
        ],
        { env },
      );
      const [before, , picked, caller, cancelled, after] = s.steps;
      assert.equal(before!.status, 127);
      assert.equal(picked!.status, 0, s.transcript);
      assert.match(caller!.output, new RegExp(`^${account}\\r?$`, 'm'), s.transcript);
      assert.match(caller!.output, /profile=prod/);
      assert.equal(cancelled!.status, 130, 'Esc in the picker: rh returns 130 and changes nothing');
      assert.match(after!.output, /profile=\[prod\]/);
    },
  );

  it('fish: the function parses, and rh switches and unsets', { skip: hasShell('fish') ? false : 'fish missing' }, async () => {
    await runCli(['clear'], { env });
    const script = await runCli(['shell-init', 'fish'], { env });
    assert.equal(script.code, 0, script.stderr);
    const file = join(world.box.home, 'rh.fish');
    writeFileSync(file, script.stdout);
    const check = spawnSync('fish', ['--no-config', '-n', file], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    const s = await runShellSession(
      'fish',
      [
        { line: 'rolehop shell-init fish | source' },
        { line: 'rh prod', answers: [MFA] },
        { line: 'aws sts get-caller-identity --query Account --output text' },
        { line: 'rh --unset; env | grep ^AWS_ | grep -v -e ^AWS_CONFIG_FILE= -e ^AWS_SHARED_CREDENTIALS_FILE= -e ^AWS_ENDPOINT_URL=' },
        { line: 'rh prod -- aws sts get-caller-identity --query Account --output text' },
      ],
      { env },
    );
    assert.equal(s.steps[0]!.status, 0, s.transcript);
    assert.equal(s.steps[1]!.status, 0, s.transcript);
    assert.match(s.steps[2]!.output, new RegExp(`^${account}\\r?$`, 'm'), s.transcript);
    assert.equal(s.steps[3]!.status, 1, s.transcript);
    assert.equal(s.steps[4]!.status, 0, s.transcript);
    assert.match(s.steps[4]!.output, new RegExp(`^${account}\\r?$`, 'm'), 'rh PROFILE -- CMD in fish');
  });

  it('a mistyped shell name is a usage error naming the closest one', async () => {
    const r = await runCli(['shell-init', 'bsh'], { env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown shell "bsh"[\s\S]*did you mean bash/);
    assert.equal(r.stdout, '');
  });
});
