// Walks through rolehop against a local moto server. Run with `npm run demo`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMoto } from '../test/helpers/moto.js';
import { seedMotoIdentity, createTargetAccounts } from '../test/helpers/run-cli.js';

const cli = resolve('dist/cli.cjs');
const say = (s: string) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  process.stdout.write(`$ ${[cmd === process.execPath ? 'rolehop' : cmd, ...(cmd === process.execPath ? args.slice(1) : args)].join(' ')}\n`);
  return new Promise((res) => spawn(cmd, args, { env, stdio: 'inherit' }).on('exit', (c) => res(c ?? 1)));
}

const moto = await startMoto();
const home = mkdtempSync(join(tmpdir(), 'rolehop-demo-'));
try {
  say(`moto is AWS for this demo: ${moto.url}`);
  const alice = await seedMotoIdentity(moto.url);
  const accounts = await createTargetAccounts(moto.url, 3);
  process.stdout.write(`identity account 123456789012, user alice, MFA device ${alice.mfaSerial}\ntarget accounts: ${accounts.join(', ')}\n`);

  mkdirSync(join(home, '.aws'), { recursive: true });
  const mfaLog = join(home, 'mfa-asked.log');
  const config = [
    '[profile alice]',
    'region = us-east-1',
    `mfa_serial = ${alice.mfaSerial}`,
    // Stands in for a person typing a code; logs each time it is asked.
    `mfa_process = echo asked >> ${mfaLog}; echo 123456`,
    '',
    ...accounts.flatMap((id, i) => [
      `[profile target-${i + 1}]`,
      `role_arn = arn:aws:iam::${id}:role/OrganizationAccountAccessRole`,
      'source_profile = alice',
      '',
    ]),
    '[profile deep]',
    `role_arn = arn:aws:iam::${accounts[2]}:role/OrganizationAccountAccessRole`,
    'source_profile = target-1',
    '',
  ].join('\n');
  writeFileSync(join(home, '.aws', 'config'), config);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    ROLEHOP_HOME: join(home, '.rolehop'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_ENDPOINT_URL: moto.url,
    ROLEHOP_BACKEND: 'file',
    ROLEHOP_FILE_PASSPHRASE: 'demo passphrase',
  };
  say('~/.aws/config');
  process.stdout.write(config);

  say("store alice's key in the encrypted file vault");
  await run(process.execPath, [cli, 'add', 'alice', '--env'], { ...env, AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey });

  for (const p of ['target-1', 'target-2', 'target-3', 'deep']) {
    say(`exec into ${p} with the real AWS CLI`);
    await run(process.execPath, [cli, 'exec', p, '--', 'aws', 'sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'], env);
  }
  say('credential_process for any AWS tool');
  await run(process.execPath, [cli, 'export', 'target-2', '--format', 'credential-process'], env);

  say('what rolehop holds (no passphrase needed)');
  await run(process.execPath, [cli, 'list'], env);
  say('the agent the first unlock started (so later calls skipped the key derivation); stop it');
  await run(process.execPath, [cli, 'agent', 'status'], env);
  await run(process.execPath, [cli, 'agent', 'stop'], env);
  const { readFileSync } = await import('node:fs');
  const asked = readFileSync(mfaLog, 'utf8').trim().split('\n').length;
  say(`MFA codes asked for: ${asked}`);
} finally {
  await moto.stop();
  rmSync(home, { recursive: true, force: true });
}
