// Another local user must not get in through ROLEHOP_HOME: a home in a
// directory that user can write to (a home pre-created in a shared
// directory, or one left world-writable) lets them plant a V8 code cache,
// and V8 checks only the source's length, so the victim's next keychain hit
// would run the planted code. rolehop checks, as ssh does for ~/.ssh, that
// the home and the path to it belong to the user (or root) and are not
// group- or world-writable, and refuses with a hint otherwise. The other
// user is a throw-away account made for the test (root only).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { makeSecondUser, secondUserUnavailable, type SecondUser } from '../helpers/second-user.js';

const HOT_BUNDLE = join(CLI_PATH, '..', 'hot-keychain.cjs');

// The other user's script: a cache for code of the bundle's exact length
// that writes a marker when it runs, at the name the victim will look for,
// in a code-cache directory of its own making.
const PLANT = `
const fs = require('node:fs'), path = require('node:path'), vm = require('node:vm');
const [bundle, cacheDir, name, marker] = process.argv.slice(1);
const real = fs.readFileSync(bundle, 'utf8');
const body = real.startsWith('#!') ? real.replace(/^#![^\\n]*/, '') : real;
let evil = 'require("node:fs").writeFileSync(' + JSON.stringify(marker) + ', "planted code ran");';
evil += ' '.repeat(body.length - evil.length);
const script = new vm.Script('(function (exports, require, module, __filename, __dirname) {' + evil + '\\n})', { filename: bundle });
script.runInThisContext()({}, () => ({ writeFileSync() {} }), {}, bundle, path.dirname(bundle));
fs.mkdirSync(cacheDir, { recursive: true, mode: 0o777 });
fs.writeFileSync(path.join(cacheDir, name), script.createCachedData());
`;

const skip = secondUserUnavailable();
if (skip) console.log(`# planted-home: ${skip}`);

describe('a ROLEHOP_HOME another user can write to', { skip }, () => {
  let box: Sandbox;
  let other: SecondUser;
  let cacheName: string;
  let shared: string;
  const marker = (name: string) => join(box.home, `marker-${name}`);
  // The keychain branch of the hot path; a bus that does not answer is enough, the cache loads first.
  const env = (home: string) =>
    box.env({ ROLEHOP_HOME: home, ROLEHOP_BACKEND: 'keychain', ROLEHOP_NO_AGENT: '1', DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(box.home, 'no-bus')}` });
  const hit = (home: string) => runCli(['export', 'dev', '--format', 'credential-process'], { env: env(home) });

  before(async () => {
    other = makeSecondUser();
    box = await makeSandbox();
    box.writeConfig('[profile dev]\nregion = us-east-1\n');
    chmodSync(box.home, 0o755);
    // Learn the cache's name from a private home: it depends on the bundle and the runtime only.
    const safe = join(box.home, 'safe');
    await hit(safe);
    for (let i = 0; i < 100 && !existsSync(join(safe, 'code-cache')); i++) await new Promise((r) => setTimeout(r, 50));
    // The call is a miss, so the export-miss bundle leaves a cache of its own beside the keychain bundle's.
    const made = readdirSync(join(safe, 'code-cache')).filter((f) => f.startsWith('hot-keychain.cjs-'));
    assert.equal(made.length, 1, 'a private home gets a code cache');
    cacheName = made[0]!;
    shared = join(box.home, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
  });
  after(async () => {
    other?.remove();
    await box?.cleanup();
  });

  it('skips a code cache in a directory others can write to, even in a home of our own', async () => {
    const home = join(box.home, 'own');
    mkdirSync(home, { mode: 0o755 });
    mkdirSync(join(home, 'code-cache'));
    chmodSync(join(home, 'code-cache'), 0o777);
    const planted = await other.run(process.execPath, ['-e', PLANT, HOT_BUNDLE, join(home, 'code-cache'), cacheName, marker('own')]);
    assert.equal(planted.status, 0, planted.stderr);
    const r = await hit(home);
    assert.ok(!existsSync(marker('own')), 'the planted code ran as the victim');
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /Refusing to use .*own\/code-cache: it is writable by every user \(mode 0777\)/);
    assert.match(r.stderr, /hint: Run `chmod go-w /);
  });

  it('does not run code the other user planted, and says what to fix', async () => {
    const home = join(shared, 'rolehop');
    const planted = await other.run(process.execPath, ['-e', PLANT, HOT_BUNDLE, join(home, 'code-cache'), cacheName, marker('shared')]);
    assert.equal(planted.status, 0, planted.stderr);
    const r = await hit(home);
    assert.ok(!existsSync(marker('shared')), 'the planted code ran as the victim');
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /Refusing to use .*shared\/rolehop: it belongs to uid \d+, not to you/);
    assert.match(r.stderr, /hint: Do not take it over/);
  });
});
