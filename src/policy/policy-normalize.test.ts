import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, isRolehopError } from '../errors.js';
import type { PolicyDocument } from './policy-document.js';
import { canonicalJson, danglingPrincipals, decodePolicyDocument, normalizePolicy, policiesEqual, prettyPolicy } from './policy-normalize.js';

/** A trust policy the way a bundle would write it. */
function trust(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: ['111122223333'] },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          Bool: { 'aws:MultiFactorAuthPresent': true },
          NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
        },
      },
    ],
  };
}

function isAwsError(e: unknown): boolean {
  return isRolehopError(e) && e.code === ErrorCodes.AWS_OTHER;
}

// --- decodePolicyDocument -------------------------------------------------

test('a URL-encoded document from IAM equals the same document sent raw', () => {
  const sent = trust();
  const fromIam = decodePolicyDocument(encodeURIComponent(JSON.stringify(sent)));
  assert.deepEqual(fromIam, sent);
  assert.ok(policiesEqual(fromIam, sent));
});

test('decodePolicyDocument: raw JSON (with surrounding whitespace) is parsed as is', () => {
  assert.deepEqual(decodePolicyDocument('  \n{"Version":"2012-10-17"}\n'), { Version: '2012-10-17' });
});

test('decodePolicyDocument: raw JSON is never percent-decoded, so a literal % survives', () => {
  const doc = decodePolicyDocument('{"Condition":{"StringLike":{"s3:prefix":"100%25 off%"}}}');
  assert.deepEqual(doc, { Condition: { StringLike: { 's3:prefix': '100%25 off%' } } });
});

test('decodePolicyDocument: + is a literal plus (RFC 3986), %20 is a space', () => {
  const doc = decodePolicyDocument('%7B%22Sid%22%3A%22a+b%20c%22%7D');
  assert.deepEqual(doc, { Sid: 'a+b c' });
});

test('decodePolicyDocument: invalid percent-encoding is ERR_AWS', () => {
  assert.throws(
    () => decodePolicyDocument('%7B%E0%A4%A'),
    (e: unknown) => isAwsError(e) && /URL-encoded/.test((e as Error).message),
  );
});

test('decodePolicyDocument: not JSON is ERR_AWS', () => {
  assert.throws(
    () => decodePolicyDocument('{"Version":'),
    (e: unknown) => isAwsError(e) && /not valid JSON/.test((e as Error).message),
  );
  assert.throws(() => decodePolicyDocument(''), isAwsError);
});

test('decodePolicyDocument: JSON that is not an object is ERR_AWS and says what it is', () => {
  for (const [text, what] of [
    ['[1,2]', 'an array'],
    ['null', 'null'],
    ['"x"', 'a string'],
    ['%5B%5D', 'an array'],
    ['42', 'a number'],
  ] as const) {
    assert.throws(
      () => decodePolicyDocument(text),
      (e: unknown) => isAwsError(e) && (e as Error).message.includes(what),
      text,
    );
  }
});

// --- what AWS rewrites compares equal --------------------------------------

test('a bare account id principal equals its :root ARN', () => {
  const rewritten = trust();
  (rewritten['Statement'] as Array<Record<string, unknown>>)[0]!['Principal'] = { AWS: 'arn:aws:iam::111122223333:root' };
  assert.ok(policiesEqual(trust(), rewritten));
});

test('the root ARN of a bare account id follows the partition', () => {
  const bare = { Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }] };
  const cn = { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws-cn:iam::111122223333:root' }, Action: 'sts:AssumeRole' }] };
  assert.ok(policiesEqual(bare, cn, 'aws-cn'));
  assert.ok(!policiesEqual(bare, cn));
  assert.deepEqual(normalizePolicy(bare, 'aws-us-gov')['Statement'], [
    { Action: ['sts:assumerole'], Effect: 'Allow', Principal: { AWS: ['arn:aws-us-gov:iam::111122223333:root'] } },
  ]);
});

test('only 12-digit AWS principals become root ARNs; Service and other lengths are left alone', () => {
  const doc = { Statement: { Effect: 'Allow', Principal: { AWS: ['12345678901', '1234567890123'], Service: '111122223333' }, Action: 'x:y' } };
  assert.deepEqual(normalizePolicy(doc)['Statement'], [
    { Action: ['x:y'], Effect: 'Allow', Principal: { AWS: ['12345678901', '1234567890123'], Service: ['111122223333'] } },
  ]);
});

test('a one-element array equals a plain string (Action, Resource, Principal, Condition)', () => {
  const arrays = {
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::b/*'],
        Principal: { Service: ['ec2.amazonaws.com'] },
        Condition: { StringEquals: { 'aws:SourceAccount': ['111122223333'] } },
      },
    ],
  };
  const strings = {
    Statement: {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
      Principal: { Service: 'ec2.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    },
  };
  assert.ok(policiesEqual(arrays, strings));
});

test('reordered and repeated Action and Resource arrays are equal', () => {
  const a = { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::a', 'arn:aws:s3:::b'] }] };
  const b = { Statement: [{ Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::a', 'arn:aws:s3:::b'], Action: ['s3:ListBucket', 's3:GetObject'], Effect: 'Allow' }] };
  assert.ok(policiesEqual(a, b));
});

test('action names are case-insensitive: sts:AssumeRole equals STS:assumerole', () => {
  const a = { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', NotAction: ['IAM:*'] }] };
  const b = { Statement: [{ Effect: 'Allow', Action: 'STS:assumerole', NotAction: 'iam:*' }] };
  assert.ok(policiesEqual(a, b));
});

test('resources are case-sensitive', () => {
  const a = { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::Bucket' }] };
  const b = { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::bucket' }] };
  assert.ok(!policiesEqual(a, b));
});

test('condition values: true equals "true", 3600 equals "3600"', () => {
  const sent = trust();
  const back = trust();
  (back['Statement'] as Array<Record<string, unknown>>)[0]!['Condition'] = {
    Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
  };
  assert.ok(policiesEqual(sent, back));
  assert.ok(
    policiesEqual(
      { Statement: [{ Condition: { Bool: { 'aws:MultiFactorAuthPresent': true } } }] },
      { Statement: [{ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] },
    ),
  );
});

test('condition keys compare case-insensitively; operators are kept and sorted', () => {
  const a = { Statement: [{ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1', 'sts:ExternalId': 'x' }, Bool: { 'aws:SecureTransport': 'true' } } }] };
  const b = { Statement: [{ Condition: { Bool: { 'AWS:securetransport': true }, StringEquals: { 'STS:EXTERNALID': ['x'], 'aws:principalorgid': 'o-1' } } }] };
  assert.ok(policiesEqual(a, b));
  assert.equal(
    canonicalJson(normalizePolicy(a)['Statement']),
    '[{"Condition":{"Bool":{"aws:securetransport":["true"]},"StringEquals":{"aws:principalorgid":["o-1"],"sts:externalid":["x"]}}}]',
  );
});

test('condition keys that differ only in case are not merged (IAM ANDs them)', () => {
  const split = { Statement: [{ Condition: { StringEquals: { 'aws:SourceAccount': 'a', 'aws:sourceaccount': 'b' } } }] };
  const merged = { Statement: [{ Condition: { StringEquals: { 'aws:sourceaccount': ['a', 'b'] } } }] };
  assert.ok(!policiesEqual(split, merged));
  assert.deepEqual(normalizePolicy(split)['Statement'], [{ Condition: { StringEquals: { 'aws:SourceAccount': ['a'], 'aws:sourceaccount': ['b'] } } }]);
});

test('condition value arrays are sorted and deduplicated; "3600" and 3600 are one value', () => {
  const doc = { Statement: [{ Condition: { StringEquals: { 'aws:SourceAccount': ['2', 1, '1', 2, false] } } }] };
  assert.deepEqual(normalizePolicy(doc)['Statement'], [{ Condition: { StringEquals: { 'aws:sourceaccount': ['1', '2', 'false'] } } }]);
});

test('statement order does not matter', () => {
  const s1 = { Sid: 'One', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
  const s2 = { Sid: 'Two', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' };
  assert.ok(policiesEqual({ Version: '2012-10-17', Statement: [s1, s2] }, { Version: '2012-10-17', Statement: [s2, s1] }));
});

test('key order does not matter at any level', () => {
  const a = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'a:b', Resource: '*', Extra: { z: 1, a: [{ y: 1, b: 2 }] } }] };
  const b = { Statement: [{ Extra: { a: [{ b: 2, y: 1 }], z: 1 }, Resource: '*', Action: 'a:b', Effect: 'Allow' }], Version: '2012-10-17' };
  assert.ok(policiesEqual(a, b));
});

test('a whole AWS rewrite (encoding, order, strings, root ARN, case, condition strings) compares equal', () => {
  const sent: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Hub',
        Effect: 'Allow',
        Principal: { AWS: ['111122223333', 'arn:aws:iam::111122223333:role/ops'] },
        Action: ['sts:AssumeRole'],
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': true } },
      },
      { Sid: 'Tags', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:TagSession' },
    ],
  };
  const iamText = encodeURIComponent(
    JSON.stringify({
      Statement: [
        { Action: 'sts:TagSession', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Effect: 'Allow', Sid: 'Tags' },
        {
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          Action: 'STS:AssumeRole',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:role/ops', 'arn:aws:iam::111122223333:root'] },
          Sid: 'Hub',
        },
      ],
      Version: '2012-10-17',
    }),
  );
  assert.ok(policiesEqual(sent, decodePolicyDocument(iamText)));
  assert.equal(prettyPolicy(sent), prettyPolicy(decodePolicyDocument(iamText)));
});

// --- real changes do not compare equal -------------------------------------

test('a different trusted account is not equal', () => {
  const other = trust();
  (other['Statement'] as Array<Record<string, unknown>>)[0]!['Principal'] = { AWS: '444455556666' };
  assert.ok(!policiesEqual(trust(), other));
});

test('an added action is not equal', () => {
  const more = trust();
  (more['Statement'] as Array<Record<string, unknown>>)[0]!['Action'] = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];
  assert.ok(!policiesEqual(trust(), more));
});

test('a changed condition value is not equal', () => {
  const longer = trust();
  (longer['Statement'] as Array<Record<string, unknown>>)[0]!['Condition'] = {
    Bool: { 'aws:MultiFactorAuthPresent': true },
    NumericLessThan: { 'aws:MultiFactorAuthAge': 7200 },
  };
  assert.ok(!policiesEqual(trust(), longer));
});

test('Version, Effect, Sid, Principal "*" vs {"AWS":"*"}, and a duplicated statement all count', () => {
  const base = { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] };
  assert.ok(!policiesEqual(base, { ...base, Version: '2008-10-17' }));
  assert.ok(!policiesEqual(base, { Statement: base.Statement }));
  assert.ok(!policiesEqual(base, { ...base, Statement: [{ ...base.Statement[0], Effect: 'Deny' }] }));
  assert.ok(!policiesEqual(base, { ...base, Statement: [{ ...base.Statement[0], Sid: 'B' }] }));
  assert.ok(!policiesEqual(base, { ...base, Statement: [{ ...base.Statement[0], Principal: { AWS: '*' } }] }));
  assert.ok(!policiesEqual(base, { ...base, Statement: [base.Statement[0], base.Statement[0]] }));
});

// --- normalizePolicy details -----------------------------------------------

test('normalizePolicy: the canonical shape', () => {
  assert.deepEqual(normalizePolicy(trust()), {
    Statement: [
      {
        Action: ['sts:assumerole', 'sts:tagsession'],
        Condition: { Bool: { 'aws:multifactorauthpresent': ['true'] }, NumericLessThan: { 'aws:multifactorauthage': ['3600'] } },
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:root'] },
      },
    ],
    Version: '2012-10-17',
  });
});

test('normalizePolicy: Principal "*" stays "*"; absent Version stays absent; unknown top-level keys kept', () => {
  const out = normalizePolicy({ Id: 'x', Statement: { Effect: 'Allow', Principal: '*', NotPrincipal: { AWS: '*' }, Action: '*' } });
  assert.deepEqual(out, { Id: 'x', Statement: [{ Action: ['*'], Effect: 'Allow', NotPrincipal: { AWS: ['*'] }, Principal: '*' }] });
  assert.ok(!('Version' in out));
});

test('normalizePolicy: keys come out sorted, so JSON.stringify is stable', () => {
  const out = normalizePolicy({ Version: 'v', Statement: [{ Resource: '*', Effect: 'Allow', Action: 'a:b', Sid: 's' }] });
  assert.equal(JSON.stringify(out), '{"Statement":[{"Action":["a:b"],"Effect":"Allow","Resource":["*"],"Sid":"s"}],"Version":"v"}');
});

test('normalizePolicy: invalid shapes are kept (canonicalised), not dropped', () => {
  assert.deepEqual(normalizePolicy({ Statement: 'oops' }), { Statement: 'oops' });
  assert.deepEqual(normalizePolicy({ Statement: [42, { Condition: 'x', Principal: ['a'] }] }), { Statement: [42, { Condition: 'x', Principal: ['a'] }] });
  assert.deepEqual(normalizePolicy({ Statement: [{ Condition: { Bool: 'true' } }] }), { Statement: [{ Condition: { Bool: 'true' } }] });
  assert.deepEqual(normalizePolicy({ Statement: [{ Action: ['b', { z: 1, a: 2 }, 'A'] }] }), { Statement: [{ Action: ['a', 'b', { a: 2, z: 1 }] }] });
});

test('normalizePolicy: undefined properties are dropped like JSON would', () => {
  assert.deepEqual(normalizePolicy({ Version: undefined, Statement: [{ Effect: 'Allow', Sid: undefined }] }), { Statement: [{ Effect: 'Allow' }] });
});

test('normalizePolicy, policiesEqual, prettyPolicy and danglingPrincipals do not mutate their input', () => {
  const doc: PolicyDocument = {
    Version: '2012-10-17',
    Statement: {
      Effect: 'Allow',
      Principal: { AWS: ['222233334444', '111122223333', 'AROAEXAMPLEEXAMPLE123'] },
      Action: ['STS:AssumeRole', 'sts:TagSession'],
      Resource: ['b', 'a'],
      Condition: { Bool: { 'AWS:MultiFactorAuthPresent': true } },
      Extra: { z: [3, 1], a: 1 },
    },
  };
  const snapshot = structuredClone(doc);
  const out = normalizePolicy(doc);
  policiesEqual(doc, trust());
  prettyPolicy(doc);
  danglingPrincipals(doc);
  assert.deepEqual(doc, snapshot);
  // And the result shares nothing with the input: changing it leaves the input alone.
  const stmt = (out['Statement'] as Array<Record<string, unknown>>)[0]!;
  ((stmt['Extra'] as Record<string, unknown>)['z'] as unknown[]).push(9);
  (stmt['Action'] as unknown[]).push('x');
  assert.deepEqual(doc, snapshot);
});

test('normalizePolicy is idempotent', () => {
  const once = normalizePolicy(trust());
  assert.deepEqual(normalizePolicy(once), once);
});

// --- canonicalJson ----------------------------------------------------------

test('canonicalJson sorts keys recursively, keeps array order, no whitespace', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } }), '{"a":{"c":null,"d":[2,{"x":2,"y":1}]},"b":1}');
  assert.equal(canonicalJson({ b: 1, a: 2 }), canonicalJson({ a: 2, b: 1 }));
});

test('canonicalJson: scalars and undefined like JSON.stringify', () => {
  assert.equal(canonicalJson('x'), '"x"');
  assert.equal(canonicalJson(3), '3');
  assert.equal(canonicalJson([undefined, 1]), '[null,1]');
  assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  assert.equal(canonicalJson(undefined), 'null');
});

test('canonicalJson: keys are sorted by code unit, not locale', () => {
  assert.equal(canonicalJson({ b: 1, B: 2, a: 3, ä: 4 }), '{"B":2,"a":3,"b":1,"ä":4}');
});

// --- danglingPrincipals -----------------------------------------------------

test('danglingPrincipals finds the unique id IAM left for a deleted role', () => {
  const doc = {
    Statement: [
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', 'AROAXXXXXXXXXXXXXXXXX'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', NotPrincipal: { AWS: 'AIDAYYYYYYYYYYYYYYYY' }, Action: '*' },
      { Effect: 'Allow', Principal: { AWS: 'AROAXXXXXXXXXXXXXXXXX' }, Action: 'sts:TagSession' },
    ],
  };
  assert.deepEqual(danglingPrincipals(doc), ['AIDAYYYYYYYYYYYYYYYY', 'AROAXXXXXXXXXXXXXXXXX']);
});

test('danglingPrincipals: a single statement object works too', () => {
  assert.deepEqual(danglingPrincipals({ Statement: { Principal: { AWS: 'AROAXXXXXXXXXXXXXXXXX' } } }), ['AROAXXXXXXXXXXXXXXXXX']);
});

test('danglingPrincipals ignores ARNs, account ids, "*", other principal types, short or lower-case ids', () => {
  const doc = {
    Statement: [
      { Principal: '*' },
      { Principal: { AWS: ['*', '111122223333', 'arn:aws:iam::111122223333:role/AROAXXXXXXXXXXXXXXXXX', 'AROASHORT', 'aroaxxxxxxxxxxxxxxxxx'] } },
      { Principal: { Service: 'AROAXXXXXXXXXXXXXXXXX', Federated: 'AIDAYYYYYYYYYYYYYYYY' } },
      { Principal: { AWS: 42 } },
      'junk',
    ],
  };
  assert.deepEqual(danglingPrincipals(doc), []);
  assert.deepEqual(danglingPrincipals({}), []);
});

// --- prettyPolicy -----------------------------------------------------------

test('prettyPolicy: 2-space indented JSON of the normalised document', () => {
  const text = prettyPolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'STS:AssumeRole', Principal: { AWS: '111122223333' } } });
  assert.equal(
    text,
    [
      '{',
      '  "Statement": [',
      '    {',
      '      "Action": [',
      '        "sts:assumerole"',
      '      ],',
      '      "Effect": "Allow",',
      '      "Principal": {',
      '        "AWS": [',
      '          "arn:aws:iam::111122223333:root"',
      '        ]',
      '      }',
      '    }',
      '  ],',
      '  "Version": "2012-10-17"',
      '}',
    ].join('\n'),
  );
});
