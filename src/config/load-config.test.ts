import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRolehopError } from '../errors.js';
import { awsConfigPath, loadAwsConfig } from './load-config.js';

const files = (map: Record<string, string>) => (p: string) => map[p];

test('config path: AWS_CONFIG_FILE with ~/ expansion, else ~/.aws/config', () => {
  assert.equal(awsConfigPath({}, '/home/u'), join('/home/u', '.aws', 'config'));
  assert.equal(awsConfigPath({ AWS_CONFIG_FILE: '' }, '/home/u'), join('/home/u', '.aws', 'config'));
  assert.equal(awsConfigPath({ AWS_CONFIG_FILE: '~/x/cfg' }, '/home/u'), join('/home/u', 'x', 'cfg'));
  assert.equal(awsConfigPath({ AWS_CONFIG_FILE: '/etc/aws' }, '/home/u'), '/etc/aws');
  assert.equal(awsConfigPath({ AWS_CONFIG_FILE: '$HOME/cfg' }, '/home/u'), '$HOME/cfg');
});

test('a missing file is an empty config', () => {
  const c = loadAwsConfig({}, '/home/u', () => undefined);
  assert.equal(c.path, join('/home/u', '.aws', 'config'));
  assert.equal(c.profiles.size, 0);
  assert.equal(c.services.size, 0);
});

test('profiles, services; [sso-session] and unknown sections ignored; no [default] inheritance', () => {
  const c = loadAwsConfig(
    { AWS_CONFIG_FILE: '/c' },
    '/h',
    files({
      '/c': '[default]\nregion = eu-west-1\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/Dev\n[services loc]\nsts =\n  endpoint_url = http://127.0.0.1:1\n[sso-session corp]\nsso_region = x\n[plugins]\na = b\n[dev]\nregion = ignored',
    }),
  );
  assert.deepEqual([...c.profiles.keys()], ['default', 'dev']);
  assert.deepEqual({ ...c.profiles.get('dev') }, { role_arn: 'arn:aws:iam::123456789012:role/Dev' });
  assert.deepEqual({ ...c.services.get('loc') }, { 'sts.endpoint_url': 'http://127.0.0.1:1' });
  assert.deepEqual(c.warnings, []);
});

for (const [order, expected] of [
  ['[default]\nregion = a\n[profile default]\nregion = b', 'b'],
  ['[profile default]\nregion = b\n[default]\nregion = a\noutput = json', 'a'],
] as const) {
  test(`[default] and [profile default]: the later section wins whole, with a warning (${expected})`, () => {
    const c = loadAwsConfig({ AWS_CONFIG_FILE: '/c' }, '/h', files({ '/c': order }));
    assert.equal(c.profiles.get('default')!.region, expected);
    assert.equal(Object.keys(c.profiles.get('default')!).length, expected === 'a' ? 2 : 1);
    assert.equal(c.warnings!.length, 1);
    assert.match(c.warnings![0]!, /Keep only \[default\]/);
  });
}

test('[profile default] alone is profile default', () => {
  const c = loadAwsConfig({ AWS_CONFIG_FILE: '/c' }, '/h', files({ '/c': '[profile default]\nregion = b' }));
  assert.equal(c.profiles.get('default')!.region, 'b');
});

for (const header of [
  '[profile bad!name]',
  '[services a,b]',
  '[sso-session x#y]',
  '[profile __proto__]',
  '[profile "my  team"]',
  '[profile a b]',
  '[profilex]',
  '[profile "x]',
]) {
  test(`a section name rolehop cannot use, ${header}, is skipped with a warning naming its line; the rest still loads`, () => {
    const c = loadAwsConfig({ AWS_CONFIG_FILE: '/c' }, '/h', files({ '/c': `[default]\nregion = a\n${header}\nregion = b\n[profile ok]\nregion = c\n` }));
    assert.deepEqual([...c.profiles.keys()], ['default', 'ok']);
    assert.equal(c.services.size, 0);
    assert.equal(c.warnings!.length, 1);
    assert.match(c.warnings![0]!, /^\/c, line 3: .* is ignored(, as the AWS CLI ignores it)?: /);
  });
}

test('a quoted name with spaces is a profile, as the AWS CLI reads it', () => {
  const c = loadAwsConfig({ AWS_CONFIG_FILE: '/c' }, '/h', files({ '/c': '[profile "my team"]\nregion = x\n[profile ok]\n' }));
  assert.deepEqual([...c.profiles.keys()], ['my team', 'ok']);
  assert.deepEqual(c.warnings, []);
});

test('a config file that is not UTF-8 is a parse error naming the line, never mangled values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-utf8-'));
  try {
    const path = join(dir, 'config');
    writeFileSync(path, Buffer.concat([Buffer.from('[profile ok]\nregion = x\n[profile caf'), Buffer.from([0xe9]), Buffer.from(']\n')]));
    assert.throws(
      () => loadAwsConfig({ AWS_CONFIG_FILE: path }, dir),
      (e: unknown) => isRolehopError(e) && e.code === 'ERR_CONFIG_PARSE' && e.message === `${path}, line 3: not valid UTF-8 text` && /UTF-8/.test(e.hint!),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('non-ASCII letters are profile names (the AWS CLI reads them)', () => {
  const c = loadAwsConfig({ AWS_CONFIG_FILE: '/c' }, '/h', files({ '/c': '[profile café-prod]\nregion = x\n[profile 東京]\nregion = y\n[profile ok]\n' }));
  assert.deepEqual([...c.profiles.keys()], ['café-prod', '東京', 'ok']);
  assert.deepEqual(c.warnings, []);
});

test('names that look alike are refused: invisible format characters', () => {
  const c = loadAwsConfig({ AWS_CONFIG_FILE: '/c' }, '/h', files({ '/c': '[profile prod\u200b]\n[profile ok]\n' }));
  assert.deepEqual([...c.profiles.keys()], ['ok']);
  assert.equal(c.warnings!.length, 1);
});

test('valid unusual names are accepted', () => {
  const c = loadAwsConfig({ AWS_CONFIG_FILE: '/c' }, '/h', files({ '/c': '[profile a_b.c@d+e%f:g/h-1]\nregion = x' }));
  assert.ok(c.profiles.has('a_b.c@d+e%f:g/h-1'));
});

test('parse errors carry the resolved path', () => {
  assert.throws(
    () => loadAwsConfig({ AWS_CONFIG_FILE: '~/cfg' }, '/h', files({ '/h/cfg': 'region = x' })),
    (e: unknown) => isRolehopError(e) && e.code === 'ERR_CONFIG_PARSE' && e.message.startsWith('/h/cfg, line 1:'),
  );
});

test('reads from disk by default; a directory is an ERR_CONFIG_PARSE error saying so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-cfg-'));
  try {
    mkdirSync(join(dir, '.aws'));
    writeFileSync(join(dir, '.aws', 'config'), '[profile a]\nregion = x\n');
    assert.equal(loadAwsConfig({}, dir).profiles.get('a')!.region, 'x');
    assert.equal(loadAwsConfig({ AWS_CONFIG_FILE: join(dir, 'nope') }, dir).profiles.size, 0);
    assert.throws(
      () => loadAwsConfig({ AWS_CONFIG_FILE: join(dir, '.aws') }, dir),
      (e: unknown) =>
        isRolehopError(e) && e.code === 'ERR_CONFIG_PARSE' && /is a directory, not a regular file/.test(e.message) && /AWS_CONFIG_FILE/.test(e.hint!),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
