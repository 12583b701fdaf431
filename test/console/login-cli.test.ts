// `rolehop login` end to end: the built CLI, moto for STS, and a local
// federation stand-in (ROLEHOP_FEDERATION_ENDPOINT) that checks the exact
// getSigninToken request. Also the browser launch template.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Sandbox } from '../helpers/sandbox.js';
import { runCli, type MotoIdentity } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { startFederationStandIn, type FederationStandIn } from './federation-stand-in.js';

/** What the fake browser recorded. */
interface Launched {
  argv: string[];
  page: { path: string; text: string; mode: number; dirMode: number } | null;
}

describe('rolehop login', () => {
  let fed: FederationStandIn;
  let box: Sandbox;
  let alice: MotoIdentity;
  let env: Record<string, string>;
  let recorder: string;
  let world: World;

  before(async () => {
    fed = await startFederationStandIn();
    world = await startWorld({ env: { ROLEHOP_FEDERATION_ENDPOINT: fed.url } });
    ({ alice, box, env } = world);
    recorder = join(box.home, 'record-browser.mjs');
    // A fake browser: records its argv and, as a browser would, reads the page it was given at once.
    writeFileSync(
      recorder,
      [
        "import { readFileSync, statSync, writeFileSync } from 'node:fs';",
        "import { dirname } from 'node:path';",
        "import { fileURLToPath } from 'node:url';",
        'const [out, ...argv] = process.argv.slice(2);',
        'let page = null;',
        'try {',
        '  const path = fileURLToPath(argv.at(-1));',
        "  page = { path, text: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o777, dirMode: statSync(dirname(path)).mode & 0o777 };",
        '} catch {}',
        'writeFileSync(out, JSON.stringify({ argv, page }));',
        '',
      ].join('\n'),
    );
    box.writeConfig(
      [
        '[profile alice]',
        'region = us-east-1',
        '',
        '[profile admin]',
        'role_arn = arn:aws:iam::210987654321:role/Admin',
        'source_profile = alice',
        'region = eu-west-1',
        `browser_command = "${process.execPath}" "${recorder}" "${join(box.home, 'admin-browser.json')}" {profile} {url}`,
        '',
      ].join('\n'),
    );
    await world.storeKey();
  });

  after(async () => {
    await fed?.stop();
    await world?.stop();
  });

  it('login --stdout prints a sign-in URL; the stand-in saw a Session with the three credential fields', async () => {
    fed.seen.length = 0;
    const r = await runCli(['login', 'admin', '--stdout', '--path', 'ec2/home'], { env });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const url = new URL(lines[0]!);
    assert.equal(`${url.origin}${url.pathname}`, fed.url);
    assert.equal(url.searchParams.get('Action'), 'login');
    assert.equal(url.searchParams.get('Issuer'), 'rolehop');
    assert.equal(url.searchParams.get('Destination'), 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1');
    assert.equal(url.searchParams.get('SigninToken'), fed.token);
    assert.equal(fed.seen.length, 1);
    assert.deepEqual(fed.seen[0]!.problems, []);
    assert.deepEqual(Object.keys(fed.seen[0]!.session!).sort(), ['sessionId', 'sessionKey', 'sessionToken']);
    assert.match(String(fed.seen[0]!.session!.sessionId), /^ASIA/);
    assert.ok(!r.stderr.includes(fed.token), 'the link never reaches stderr');
  });

  it('signs in an IAM user profile through GetFederationToken (no SessionDuration)', async () => {
    fed.seen.length = 0;
    const r = await runCli(['--json', 'login', 'alice', '--stdout', '--region', 'eu-central-1', '--duration', '7200'], { env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { url: string; credentials: string; destination: string };
    assert.equal(out.credentials, 'federated');
    assert.equal(out.destination, 'https://eu-central-1.console.aws.amazon.com/console/home?region=eu-central-1');
    assert.equal(new URL(out.url).searchParams.get('SigninToken'), fed.token);
    assert.deepEqual(fed.seen[0]!.problems, []);
    assert.deepEqual(fed.seen[0]!.fields, ['Action', 'Session']);
    assert.notEqual(fed.seen[0]!.session!.sessionId, alice.accessKeyId);
  });

  it('opens the link with the profile launch template, never printing it and never in the browser argv', async () => {
    const out = join(box.home, 'admin-browser.json');
    const r = await runCli(['login', 'admin', '--browser-profile', 'work'], { env: { ...env, ROLEHOP_LOGIN_HANDOFF_SECONDS: '1' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(!r.stderr.includes(fed.token));
    for (let i = 0; i < 100 && !existsSync(out); i++) await new Promise((res) => setTimeout(res, 50));
    const seen = JSON.parse(readFileSync(out, 'utf8')) as Launched;
    assert.equal(seen.argv[0], 'work');
    assert.ok(!seen.argv.join(' ').includes(fed.token), 'the sign-in token is not in the browser argv (ps shows it to every user)');
    assert.match(seen.argv[1]!, /^file:\/\//);
    // The page the browser got redirects to the sign-in link, and only this user can read it.
    assert.ok(seen.page, 'the browser could read the hand-off page');
    assert.ok(seen.page.text.includes(`SigninToken=${encodeURIComponent(fed.token)}`));
    assert.match(seen.page.text, /location\.replace\(/);
    assert.equal(seen.page.mode, 0o600);
    assert.equal(seen.page.dirMode, 0o700);
    // And it is removed once the browser had time to read it.
    // The reaper removes the page, then its directory: wait for both, within the same bound.
    for (let i = 0; i < 200 && (existsSync(seen.page.path) || existsSync(dirname(seen.page.path))); i++) await new Promise((res) => setTimeout(res, 50));
    assert.ok(!existsSync(seen.page.path), 'the hand-off page was removed');
    assert.ok(!existsSync(dirname(seen.page.path)), 'and its directory');
    rmSync(out); // the fake browser's own record of the page
    assert.deepEqual(box.grepSecret(fed.token), [], 'no copy of the link is left on disk');
  });

  it('ROLEHOP_BROWSER_COMMAND wins, {profile} defaults to the AWS profile', async () => {
    const out = join(box.home, 'env-browser.json');
    const r = await runCli(['login', 'admin'], { env: { ...env, ROLEHOP_BROWSER_COMMAND: `"${process.execPath}" "${recorder}" "${out}" {profile} {url}` } });
    assert.equal(r.code, 0, r.stderr);
    for (let i = 0; i < 100 && !existsSync(out); i++) await new Promise((res) => setTimeout(res, 50));
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as Launched).argv[0], 'admin');
  });

  it('reports a refused token request without leaking credentials', async () => {
    const r = await runCli(['login', 'admin', '--stdout'], { env: { ...env, ROLEHOP_FEDERATION_ENDPOINT: `${fed.url.replace('/federation', '/nope')}` } });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /HTTP 400/);
    assert.equal(r.stdout, '');
    assert.ok(!r.stderr.includes(alice.secretAccessKey));
  });
});
