import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIni } from '../config/parse-ini.js';
import { profileNameProblem } from '../config/profile-name.js';
import { ErrorCodes, isRolehopError } from '../errors.js';
import type { BundleTarget } from './account-filter.js';
import { parseBundle } from './bundle-file.js';
import { beginMarker, configBlock, endMarker, mergeConfig, profileNameFor, templateProblem } from './config-block.js';

const bundle = parseBundle(
  `version: 1
name: std
identityAccount: "111111111111"
roles:
  - name: RolehopAdministrator
    managedPolicies: [AdministratorAccess]
  - name: RolehopSpectator
    path: /audit/
    managedPolicies: [job-function/ViewOnlyAccess]
`,
  'std.yaml',
);

const targets: BundleTarget[] = [
  { account: '222222222222', name: 'acct-prod', roles: ['RolehopAdministrator', 'RolehopSpectator'] },
  { account: '333333333333', roles: ['RolehopSpectator'] },
];

/** The code of what `fn` throws; fails the test when it does not throw a RolehopError. */
function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(isRolehopError(e), `not a RolehopError: ${String(e)}`);
    return { code: e.code, message: e.message };
  }
  assert.fail('did not throw');
}

test('profileNameFor fills the placeholders; an account without a name uses its id', () => {
  const v = { account: '222222222222', accountName: 'acct-prod', role: 'RolehopAdministrator' };
  assert.equal(profileNameFor('{account_name}-{role}', v), 'acct-prod-RolehopAdministrator');
  assert.equal(profileNameFor('{account}/{role}', v), '222222222222/RolehopAdministrator');
  assert.equal(profileNameFor('{account_name}-{role}', { account: '333333333333', role: 'R' }), '333333333333-R');
  assert.equal(profileNameFor('{account_name}-{role}', { account: '333333333333', accountName: '', role: 'R' }), '333333333333-R');
});

test('profileNameFor makes every run of other characters one dash and trims dashes', () => {
  const name = (accountName: string, template = '{account_name}-{role}') => profileNameFor(template, { account: '222222222222', accountName, role: 'Admin' });
  assert.equal(name('Acme Prod (EU)'), 'Acme-Prod-EU-Admin');
  assert.equal(name('a - b'), 'a-b-Admin');
  assert.equal(name('  !!team!! '), 'team-Admin');
  assert.equal(name('café prod'), 'café-prod-Admin');
  assert.equal(name('x"y]z;w#v'), 'x-y-z-w-v-Admin');
  assert.equal(name('ok--dash'), 'ok--dash-Admin', 'dashes the user wrote are kept');
  assert.equal(name('evil\u202ename\r\n'), 'evil-name-Admin');
  assert.equal(name('a', '[{account_name}] {role}'), 'a-Admin');
});

test('profileNameFor never gives an empty, reserved or too long name', () => {
  assert.equal(profileNameFor('!!!', { account: '222222222222', role: 'Admin' }), '222222222222-Admin');
  assert.equal(profileNameFor('__proto__', { account: '222222222222', role: 'Admin' }), '__proto__-222222222222');
  assert.equal(profileNameFor('{role}', { account: '222222222222', role: '__proto__' }), '__proto__-222222222222');
  const long = profileNameFor('{account_name}-{role}', { account: '222222222222', accountName: 'é'.repeat(150), role: 'Admin' });
  assert.equal(profileNameProblem(long), undefined);
  for (const t of ['!!!', '__proto__', '{account_name}{role}', ' ']) {
    if (templateProblem(t)) continue;
    assert.equal(profileNameProblem(profileNameFor(t, { account: '222222222222', accountName: '\u0000', role: '=' })), undefined, t);
  }
});

test('an unknown placeholder or an empty template is a usage error', () => {
  assert.match(templateProblem('{acount}-{role}') ?? '', /unknown placeholder "\{acount\}"/);
  assert.equal(templateProblem(''), 'is empty');
  assert.equal(templateProblem('{account}-{account_name}-{role}'), undefined);
  assert.equal(codeOf(() => profileNameFor('{x}', { account: '222222222222', role: 'R' })).code, ErrorCodes.USAGE);
  assert.equal(codeOf(() => configBlock({ bundle, targets, sourceProfile: 'me', template: '{nope}' })).code, ErrorCodes.USAGE);
});

test('configBlock writes one sorted, marked section per account and role, chained from the source profile', () => {
  const out = configBlock({ bundle, targets, sourceProfile: 'me', region: 'eu-west-1' });
  assert.deepEqual(out.clashes, []);
  assert.deepEqual(
    out.profiles.map((p) => [p.name, p.roleArn]),
    [
      ['333333333333-RolehopSpectator', 'arn:aws:iam::333333333333:role/audit/RolehopSpectator'],
      ['acct-prod-RolehopAdministrator', 'arn:aws:iam::222222222222:role/rolehop/RolehopAdministrator'],
      ['acct-prod-RolehopSpectator', 'arn:aws:iam::222222222222:role/audit/RolehopSpectator'],
    ],
  );
  assert.equal(
    out.text,
    [
      beginMarker('std'),
      '',
      '[profile 333333333333-RolehopSpectator]',
      '# rolehop: bundle std, account 333333333333',
      'role_arn = arn:aws:iam::333333333333:role/audit/RolehopSpectator',
      'source_profile = me',
      'region = eu-west-1',
      '',
      '[profile acct-prod-RolehopAdministrator]',
      '# rolehop: bundle std, account 222222222222 (acct-prod)',
      'role_arn = arn:aws:iam::222222222222:role/rolehop/RolehopAdministrator',
      'source_profile = me',
      'region = eu-west-1',
      '',
      '[profile acct-prod-RolehopSpectator]',
      '# rolehop: bundle std, account 222222222222 (acct-prod)',
      'role_arn = arn:aws:iam::222222222222:role/audit/RolehopSpectator',
      'source_profile = me',
      'region = eu-west-1',
      '',
      endMarker('std'),
      '',
    ].join('\n'),
  );
  const sections = parseIni(out.text, 'block');
  assert.deepEqual(sections[1]!.entries, {
    role_arn: 'arn:aws:iam::222222222222:role/rolehop/RolehopAdministrator',
    source_profile: 'me',
    region: 'eu-west-1',
  });
});

test('configBlock: no region line without a region; the partition goes into the ARN', () => {
  const out = configBlock({ bundle, targets: [targets[1]!], sourceProfile: 'me', partition: 'aws-cn' });
  assert.equal(out.profiles[0]!.roleArn, 'arn:aws-cn:iam::333333333333:role/audit/RolehopSpectator');
  assert.doesNotMatch(out.text, /region/);
});

test('configBlock: a name two targets share goes to the first; the later gets -<account> and a clash line', () => {
  const same: BundleTarget[] = [
    { account: '222222222222', name: 'Shared', roles: ['RolehopAdministrator'] },
    { account: '333333333333', name: 'shared!', roles: ['RolehopAdministrator'] },
    { account: '444444444444', name: 'Shared', roles: ['RolehopAdministrator'] },
  ];
  const out = configBlock({ bundle, targets: same, sourceProfile: 'me' });
  assert.deepEqual(
    out.profiles.map((p) => [p.name, p.account]),
    [
      ['Shared-RolehopAdministrator', '222222222222'],
      ['Shared-RolehopAdministrator-444444444444', '444444444444'],
      ['shared-RolehopAdministrator', '333333333333'],
    ],
  );
  assert.equal(out.clashes.length, 1);
  assert.match(
    out.clashes[0]!,
    /"Shared-RolehopAdministrator" would name both account 222222222222 .* and account 444444444444 .*"Shared-RolehopAdministrator-444444444444"/,
  );
});

test('configBlock: a template without the account still gives unique names; the source profile is never reused', () => {
  const out = configBlock({ bundle, targets, sourceProfile: 'RolehopSpectator', template: '{role}' });
  assert.deepEqual(
    out.profiles.map((p) => p.name),
    ['RolehopAdministrator', 'RolehopSpectator-222222222222', 'RolehopSpectator-333333333333'],
  );
  assert.equal(out.clashes.length, 2);
  assert.match(out.clashes[0]!, /is the source profile/);
  const twice = configBlock({
    bundle,
    targets: [{ account: '222222222222', roles: ['RolehopAdministrator', 'RolehopAdministrator', 'RolehopSpectator'] }, targets[0]!],
    sourceProfile: 'x-222222222222',
    template: 'x',
  });
  assert.deepEqual(
    twice.profiles.map((p) => p.name),
    ['x', 'x-222222222222-2'],
    'a repeated (account, role) is listed once; a taken suffixed name gets a number',
  );
});

test('configBlock leaves out unreachable accounts with a note, and refuses bad input', () => {
  const out = configBlock({
    bundle,
    targets: [...targets, { account: '555555555555', name: 'gone', roles: ['RolehopAdministrator'], unreachable: 'SUSPENDED' }],
    sourceProfile: 'me',
  });
  assert.equal(out.profiles.length, 3);
  assert.deepEqual(out.notes, ['account 555555555555 (gone) left out: SUSPENDED']);
  assert.equal(codeOf(() => configBlock({ bundle, targets, sourceProfile: 'my "team"' })).code, ErrorCodes.USAGE);
  // A name with a space is a name (the AWS CLI reads [profile "my team"]); source_profile values are literal.
  assert.match(configBlock({ bundle, targets, sourceProfile: 'my team' }).text, /^source_profile = my team$/m);
  assert.equal(codeOf(() => configBlock({ bundle, targets, sourceProfile: 'me', region: 'eu-west-1\n[x]' })).code, ErrorCodes.USAGE);
  assert.equal(codeOf(() => configBlock({ bundle, targets: [{ account: '222222222222', roles: ['Nope'] }], sourceProfile: 'me' })).code, ErrorCodes.INTERNAL);
});

test('configBlock keeps a hostile account name on its comment line', () => {
  const out = configBlock({
    bundle,
    targets: [{ account: '222222222222', name: 'x\r[profile y]\u2028z', roles: ['RolehopAdministrator'] }],
    sourceProfile: 'me',
  });
  assert.match(out.text, /^# rolehop: bundle std, account 222222222222 \(x\?\[profile y\]\?z\)$/m);
  assert.deepEqual(
    parseIni(out.text, 'block').map((s) => s.name),
    ['x-profile-y-z-RolehopAdministrator'],
  );
});

const USER = `[profile me]   # my keys
region = eu-west-1
mfa_serial = arn:aws:iam::111111111111:mfa/me
`;

const block = configBlock({ bundle, targets, sourceProfile: 'me', region: 'eu-west-1' }).text;

test('mergeConfig appends to a file without a block, after one blank line, and the result parses', () => {
  const out = mergeConfig(USER, block, 'std', 'cfg');
  assert.equal(out.replaced, false);
  assert.deepEqual(out.skipped, []);
  assert.equal(out.text, `${USER}\n${block}`);
  assert.deepEqual(
    parseIni(out.text, 'cfg').map((s) => s.name),
    ['me', '333333333333-RolehopSpectator', 'acct-prod-RolehopAdministrator', 'acct-prod-RolehopSpectator'],
  );
  assert.equal(mergeConfig(USER + '\n', block, 'std', 'cfg').text, `${USER}\n${block}`, 'no second blank line');
  assert.equal(mergeConfig(USER.trimEnd(), block, 'std', 'cfg').text, `${USER}\n${block}`, 'a missing last line break is added');
  assert.equal(mergeConfig('', block, 'std', 'cfg').text, block);
});

test('mergeConfig replaces the block in place, keeping everything around it byte for byte', () => {
  const after = '\n[profile later]  ; mine\nregion = us-east-1\n';
  const first = mergeConfig(USER, block, 'std', 'cfg').text + after;
  const smaller = configBlock({ bundle, targets: [targets[1]!], sourceProfile: 'me' }).text;
  const out = mergeConfig(first, smaller, 'std', 'cfg');
  assert.equal(out.replaced, true);
  assert.equal(out.text, `${USER}\n${smaller}${after}`);
  assert.deepEqual(
    parseIni(out.text, 'cfg').map((s) => s.name),
    ['me', '333333333333-RolehopSpectator', 'later'],
  );
  // A rerun with the same block changes nothing.
  assert.equal(mergeConfig(out.text, smaller, 'std', 'cfg').text, out.text);
});

test("mergeConfig leaves other bundles' blocks alone and keeps CRLF files CRLF", () => {
  const other = configBlock({ bundle: { ...bundle, name: 'other' }, targets: [targets[1]!], sourceProfile: 'me', template: 'o-{account}-{role}' }).text;
  const withOther = mergeConfig(USER, other, 'other', 'cfg').text;
  const both = mergeConfig(withOther, block, 'std', 'cfg');
  assert.equal(both.replaced, false);
  assert.ok(both.text.startsWith(withOther));
  const crlf = USER.replace(/\n/g, '\r\n');
  const out = mergeConfig(crlf, block, 'std', 'cfg').text;
  assert.equal(out, `${crlf}\r\n${block.replace(/\n/g, '\r\n')}`);
  assert.equal(mergeConfig(out, block, 'std', 'cfg').text, out);
});

test("mergeConfig keeps the user's own section of the same name and skips that profile", () => {
  const mine = `${USER}\n[profile acct-prod-RolehopAdministrator]\nrole_arn = arn:aws:iam::222222222222:role/Mine\nsource_profile = me\n`;
  const out = mergeConfig(mine, block, 'std', 'cfg');
  assert.deepEqual(out.skipped, ['acct-prod-RolehopAdministrator']);
  const sections = parseIni(out.text, 'cfg');
  assert.deepEqual(
    sections.map((s) => s.name),
    ['me', 'acct-prod-RolehopAdministrator', '333333333333-RolehopSpectator', 'acct-prod-RolehopSpectator'],
  );
  assert.equal(sections[1]!.entries.role_arn, 'arn:aws:iam::222222222222:role/Mine');
  assert.doesNotMatch(out.text, /\n\n\n/, 'no double blank line where the section was dropped');
  // The same on a rerun that replaces the block; [default] counts as profile default too.
  const again = mergeConfig(out.text, block, 'std', 'cfg');
  assert.equal(again.text, out.text);
  assert.deepEqual(again.skipped, ['acct-prod-RolehopAdministrator']);
  const def = configBlock({ bundle, targets: [targets[1]!], sourceProfile: 'me', template: 'default' }).text;
  const withDefault = mergeConfig(`[default]\nregion = eu-west-1\n`, def, 'std', 'cfg');
  assert.deepEqual(withDefault.skipped, ['default']);
  assert.equal(parseIni(withDefault.text, 'cfg').length, 1);
});

test('mergeConfig refuses unbalanced, duplicated or malformed markers, naming the file and line', () => {
  const B = beginMarker('std');
  const E = endMarker('std');
  const cases: Array<[string, RegExp]> = [
    [`${USER}${B}\n[profile x]\nregion = a\n`, /cfg, line 4: .*bundle std has no end marker/],
    [`${USER}${E}\n`, /cfg, line 4: end marker of bundle std without a begin marker/],
    [`${B}\n${E}\n${B}\n${E}\n`, /cfg, line 3: second rolehop block of bundle std/],
    [`${B}\n${beginMarker('other')}\n${endMarker('other')}\n${E}\n`, /cfg, line 2: .*begins inside the block of bundle std/],
    [`${B}\n${endMarker('other')}\n`, /cfg, line 2: end marker of bundle other inside the block of bundle std/],
    [`${E}\n${B}\n`, /cfg, line 1: end marker/],
    [`# >>> rolehop config generate: bundle std\n`, /cfg, line 1: malformed rolehop marker line/],
    [`${beginMarker('other')}\n`, /bundle other has no end marker/],
  ];
  for (const [text, match] of cases) {
    const e = codeOf(() => mergeConfig(text, block, 'std', 'cfg'));
    assert.equal(e.code, ErrorCodes.CONFIG_PARSE, text);
    assert.match(e.message, match, text);
  }
});

test('mergeConfig refuses a file that does not parse, and a key stuck after the end marker', () => {
  assert.equal(codeOf(() => mergeConfig('[profile a]\nnot a key line\n', block, 'std', 'cfg')).code, ErrorCodes.CONFIG_PARSE);
  const first = mergeConfig(USER, block, 'std', 'cfg').text;
  const e = codeOf(() => mergeConfig(`${first}output = json\n`, block, 'std', 'cfg'));
  assert.equal(e.code, ErrorCodes.CONFIG_PARSE);
  assert.match(e.message, /cfg, line \d+: "output" after the rolehop block of bundle std has no section header/);
  assert.equal(codeOf(() => mergeConfig(USER, block, 'other', 'cfg')).code, ErrorCodes.INTERNAL);
});
