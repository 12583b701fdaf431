import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRolehopError } from '../errors.js';
import { parseIni } from './parse-ini.js';

const entries = (text: string) => parseIni(text, 'cfg').map((s) => ({ kind: s.kind, name: s.name, entries: { ...s.entries } }));

test('parses headers, both delimiters, lower-cased keys, literal values', () => {
  const text = [
    '# top comment',
    '[default]',
    'Region = eu-west-1',
    'output: json',
    '; another comment',
    '',
    '[profile dev]',
    'role_arn = arn:aws:iam::123456789012:role/Dev',
    'credential_process = cmd --opt=a "quoted arg"',
    'note = prod # not a comment',
    'url = http://x:1',
    '[services local]',
    '[sso-session corp]',
    'sso_region = us-east-1',
    '[plugins]',
    'x = y',
  ].join('\n');
  assert.deepEqual(entries(text), [
    { kind: 'default', name: 'default', entries: { region: 'eu-west-1', output: 'json' } },
    {
      kind: 'profile',
      name: 'dev',
      entries: {
        role_arn: 'arn:aws:iam::123456789012:role/Dev',
        credential_process: 'cmd --opt=a "quoted arg"',
        note: 'prod # not a comment',
        url: 'http://x:1',
      },
    },
    { kind: 'services', name: 'local', entries: {} },
    { kind: 'sso-session', name: 'corp', entries: { sso_region: 'us-east-1' } },
    { kind: 'other', name: 'plugins', entries: { x: 'y' } },
  ]);
});

test('first delimiter wins: "a: b = c" is key a', () => {
  assert.deepEqual(entries('[default]\na: b = c\nd = e: f')[0]!.entries, { a: 'b = c', d: 'e: f' });
});

test('sub-properties are flattened; blank lines and comments do not end them; CRLF and BOM accepted', () => {
  const text =
    '\uFEFF[profile dev]\r\nregion = eu-west-1\r\ns3 =\r\n  max_concurrent_requests = 20\r\n\r\n  # comment\r\n  addressing_style = path\r\nservices = local\r\n[services local]\r\nsts =\r\n    endpoint_url = http://127.0.0.1:4566\r\niam =\r\n\tendpoint_url = http://127.0.0.1:4567\r\n';
  assert.deepEqual(entries(text), [
    { kind: 'profile', name: 'dev', entries: { region: 'eu-west-1', 's3.max_concurrent_requests': '20', 's3.addressing_style': 'path', services: 'local' } },
    { kind: 'services', name: 'local', entries: { 'sts.endpoint_url': 'http://127.0.0.1:4566', 'iam.endpoint_url': 'http://127.0.0.1:4567' } },
  ]);
});

test('an empty value without indented lines stays an empty string', () => {
  assert.deepEqual(entries('[default]\nsts =\nregion = x')[0]!.entries, { sts: '', region: 'x' });
});

test('indented keys right under a header are ordinary keys', () => {
  assert.deepEqual(entries('[default]\n  region = x\n  output = json')[0]!.entries, { region: 'x', output: 'json' });
});

test('quoted profile names are unquoted; a key named __proto__ stays data', () => {
  const [s] = parseIni('[profile "team"]\n__proto__ = x', 'cfg');
  assert.equal(s!.name, 'team');
  assert.equal(Object.getPrototypeOf(s!.entries), Object.prototype);
  assert.equal(Object.hasOwn(s!.entries, '__proto__'), true);
});

test('names are split as botocore splits them: quotes and backslashes as in a shell', () => {
  const names = parseIni(`[profile "my team"]\n[profile 'x y']\n[profile a\\ b]\n[sso-session "s 1"]\n[services   svc  ]\n`, 'cfg');
  assert.deepEqual(
    names.map((x) => [x.kind, x.name]),
    [
      ['profile', 'my team'],
      ['profile', 'x y'],
      ['profile', 'a b'],
      ['sso-session', 's 1'],
      ['services', 'svc'],
    ],
  );
});

test('headers botocore skips are kept as other sections saying why, not refused', () => {
  const sections = parseIni('[profile a b]\n[profilex]\n[profile]\n[profile "open]\n[sso-session]\n[plugins]\n', 'cfg');
  assert.deepEqual(
    sections.map((x) => [x.kind, x.header, x.skipped !== undefined]),
    [
      ['other', 'profile a b', true],
      ['other', 'profilex', true],
      ['other', 'profile', true],
      ['other', 'profile "open', true],
      ['other', 'sso-session', true],
      ['other', 'plugins', false],
    ],
  );
  assert.match(sections[0]!.skipped!, /more than one name.*\[profile "a b"\]/);
});

test('a comment after a section header is accepted, as botocore reads it (the README quickstart form)', () => {
  const text = '[profile me]   # my keys\nregion = eu-west-1\n[default] ; default\n[profile ci]#tight\n[sso-session s]\t; tab\n';
  assert.deepEqual(
    parseIni(text, 'cfg').map((x) => [x.kind, x.name, x.header]),
    [
      ['profile', 'me', 'profile me'],
      ['default', 'default', 'default'],
      ['profile', 'ci', 'profile ci'],
      ['sso-session', 's', 'sso-session s'],
    ],
  );
  assert.deepEqual(parseIni(text, 'cfg')[0]!.entries, { region: 'eu-west-1' });
});

test("the README's ini examples parse (its quickstart has comments after headers)", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```ini\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length > 0);
  for (const block of blocks) assert.ok(parseIni(block, 'README.md').length > 0);
});

test('a header comment does not hide a duplicate section', () => {
  assert.throws(() => parseIni('[profile a] # one\n[profile a]', 'cfg'), /duplicate section "\[profile a\]"/);
});

const errors: Array<{ name: string; text: string; line: number; match: RegExp }> = [
  { name: 'line with no delimiter', text: '[default]\nregion = x\nAKIAEXAMPLESECRETLINE', line: 3, match: /no "="/ },
  { name: 'key before any section', text: '# c\nregion = x\n[default]', line: 2, match: /outside any section/ },
  { name: 'duplicate section', text: '[profile a]\nx = 1\n\n[profile a]\ny = 2', line: 4, match: /duplicate section.*line 1/ },
  { name: 'duplicate section, quoted spelling', text: '[profile a]\n[profile "a"]', line: 2, match: /duplicate section/ },
  { name: 'duplicate key', text: '[default]\nregion = a\nREGION = b', line: 3, match: /duplicate key "region".*line 2/ },
  { name: 'duplicate sub-property', text: '[services s]\nsts =\n  endpoint_url = a\n  endpoint_url = b', line: 4, match: /duplicate key "sts.endpoint_url"/ },
  { name: 'parent key repeated after its block', text: '[services s]\nsts =\n  endpoint_url = a\nsts = b', line: 4, match: /duplicate key "sts"/ },
  { name: 'unclosed header', text: '[profile a\nx = 1', line: 1, match: /malformed section header/ },
  { name: 'text after header that is not a comment', text: '[profile a] prod', line: 1, match: /text after the closing "\]"/ },
  { name: 'a "]" in the comment after a header', text: '[profile a] # see [x]', line: 1, match: /"\]" after the header/ },
  { name: 'a "]" in a header comment without a space', text: '[default];[x]', line: 1, match: /"\]" after the header/ },
  { name: 'empty header', text: '[]', line: 1, match: /empty section header/ },
  { name: 'a prefix botocore reads as profile', text: '[default]\n[profiles a]', line: 2, match: /malformed section header "\[profiles a\]"/ },
  { name: 'a prefix botocore reads as sso-session', text: '[sso-sessions "a"]', line: 1, match: /malformed section header/ },
  { name: '[DEFAULT]', text: '[DEFAULT]\nregion = x', line: 1, match: /DEFAULT/ },
  { name: 'empty key', text: '[default]\n= x', line: 2, match: /empty key/ },
  {
    name: 'continuation of a non-empty value',
    text: '[default]\nregion = us-east-1\n    output = json',
    line: 3,
    match: /continues the value of "region" \(line 2\)/,
  },
  { name: 'sub-property without =', text: '[services s]\nsts =\n  endpoint_url: http://x', line: 3, match: /sub-property of "sts" has no "="/ },
  { name: 'sub-property with empty name', text: '[services s]\nsts =\n  = x', line: 3, match: /empty name/ },
];

for (const c of errors) {
  test(`parse error: ${c.name} (line ${c.line})`, () => {
    assert.throws(
      () => parseIni(c.text, '/home/u/.aws/config'),
      (e: unknown) => {
        assert.ok(isRolehopError(e));
        assert.equal(e.code, 'ERR_CONFIG_PARSE');
        assert.match(e.message, new RegExp(`^/home/u/\\.aws/config, line ${c.line}: `));
        assert.match(e.message, c.match);
        assert.ok(e.hint && e.hint.length > 0);
        assert.deepEqual(e.details, { file: '/home/u/.aws/config', line: c.line });
        return true;
      },
    );
  });
}

test('a malformed line is not echoed (it may be a secret)', () => {
  assert.throws(
    () => parseIni('[default]\naws_secret_access_key wJalrXUtnFEMI', 'cfg'),
    (e: unknown) => isRolehopError(e) && !e.message.includes('wJalr'),
  );
});
