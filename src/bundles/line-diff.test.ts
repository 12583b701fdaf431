import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyDocument } from './model.js';
import { lineDiff, policyDiff } from './line-diff.js';
import { decodePolicyDocument } from '../policy/policy-normalize.js';

const lines = (...xs: string[]): string => xs.join('\n');
const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `l${from + i}`);

// --- lineDiff ---------------------------------------------------------------

test('lineDiff: equal texts give []', () => {
  assert.deepEqual(lineDiff('', ''), []);
  assert.deepEqual(lineDiff('a\nb', 'a\nb'), []);
});

test('lineDiff: one trailing newline does not count as a line', () => {
  assert.deepEqual(lineDiff('a\nb\n', 'a\nb'), []);
  assert.deepEqual(lineDiff('a\n', 'a\n\n'), ['  a', '+ ']);
});

test('lineDiff: from and to empty text are pure additions and removals', () => {
  assert.deepEqual(lineDiff('', 'a\nb'), ['+ a', '+ b']);
  assert.deepEqual(lineDiff('a\nb', ''), ['- a', '- b']);
});

test('lineDiff: a changed line in the middle, with 2 lines of context', () => {
  assert.deepEqual(lineDiff(lines('a', 'b', 'c', 'd', 'e'), lines('a', 'b', 'X', 'd', 'e')), ['  a', '  b', '- c', '+ X', '  d', '  e']);
});

test('lineDiff: an insertion and a deletion', () => {
  assert.deepEqual(lineDiff(lines('a', 'b', 'c'), lines('a', 'x', 'b', 'c')), ['  a', '+ x', '  b', '  c']);
  assert.deepEqual(lineDiff(lines('a', 'b', 'c'), lines('a', 'c')), ['  a', '- b', '  c']);
});

test('lineDiff: within a changed block removals come before additions', () => {
  assert.deepEqual(lineDiff(lines('k', 'a', 'b', 'k'), lines('k', 'x', 'y', 'k')), ['  k', '- a', '- b', '+ x', '+ y', '  k']);
});

test('lineDiff: long unchanged runs collapse to … at the start, between changes and at the end', () => {
  const before = range(1, 20);
  const after = [...before];
  after[4] = 'X'; // l5
  after[14] = 'Y'; // l15
  assert.deepEqual(lineDiff(before.join('\n'), after.join('\n')), [
    '  …',
    '  l3',
    '  l4',
    '- l5',
    '+ X',
    '  l6',
    '  l7',
    '  …',
    '  l13',
    '  l14',
    '- l15',
    '+ Y',
    '  l16',
    '  l17',
    '  …',
  ]);
});

test('lineDiff: a run of exactly 2*context between changes is kept whole', () => {
  const before = range(1, 7);
  const after = [...before];
  after[0] = 'A';
  after[5] = 'B'; // l2..l5 unchanged: 4 lines = 2*2
  assert.deepEqual(lineDiff(before.join('\n'), after.join('\n')), ['- l1', '+ A', '  l2', '  l3', '  l4', '  l5', '- l6', '+ B', '  l7']);
});

test('lineDiff: the context size is a parameter; 0 shows only changes and …', () => {
  const before = range(1, 9);
  const after = [...before];
  after[4] = 'X';
  assert.deepEqual(lineDiff(before.join('\n'), after.join('\n'), 0), ['  …', '- l5', '+ X', '  …']);
  assert.deepEqual(lineDiff(before.join('\n'), after.join('\n'), 1), ['  …', '  l4', '- l5', '+ X', '  l6', '  …']);
  assert.equal(lineDiff(before.join('\n'), after.join('\n'), 10).length, 10);
});

test('lineDiff: the diff is minimal (LCS), not a naive line-by-line comparison', () => {
  // Shifting by one line must show one addition, not every line changed.
  const before = range(1, 6).join('\n');
  const after = ['l0', ...range(1, 6)].join('\n');
  assert.deepEqual(lineDiff(before, after), ['+ l0', '  l1', '  l2', '  …']);
});

test('lineDiff: repeated lines are matched sensibly', () => {
  assert.deepEqual(lineDiff(lines('}', '}', '}'), lines('}', '}')), ['  }', '  }', '- }']);
  assert.deepEqual(lineDiff(lines('a', '}', 'b', '}'), lines('a', '}', '}')), ['  a', '  }', '- b', '  }']);
});

test('lineDiff: inputs beyond the table limit fall back to replacing the differing middle', () => {
  const before = Array.from({ length: 2100 }, (_, i) => `a${i}`);
  const after = Array.from({ length: 2100 }, (_, i) => `b${i}`);
  const out = lineDiff(['head', ...before, 'tail'].join('\n'), ['head', ...after, 'tail'].join('\n'));
  assert.equal(out.length, 1 + 2100 + 2100 + 1);
  assert.equal(out[0], '  head');
  assert.equal(out[1], '- a0');
  assert.equal(out[2100], '- a2099');
  assert.equal(out[2101], '+ b0');
  assert.equal(out[out.length - 1], '  tail');
});

test('lineDiff: large inputs with a small change stay exact (common ends are trimmed first)', () => {
  const before = Array.from({ length: 5000 }, (_, i) => `x${i}`);
  const after = [...before];
  after[2500] = 'changed';
  assert.deepEqual(lineDiff(before.join('\n'), after.join('\n')), ['  …', '  x2498', '  x2499', '- x2500', '+ changed', '  x2501', '  x2502', '  …']);
});

// --- policyDiff -------------------------------------------------------------

function trust(account: string, extra: Record<string, unknown> = {}): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: account },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': true }, NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } },
        ...extra,
      },
    ],
  };
}

test('policyDiff: an AWS rewrite of the document gives []', () => {
  const sent = trust('111122223333');
  const iam = decodePolicyDocument(
    encodeURIComponent(
      JSON.stringify({
        Statement: {
          Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          Action: ['STS:AssumeRole'],
          Principal: { AWS: ['arn:aws:iam::111122223333:root'] },
          Effect: 'Allow',
        },
        Version: '2012-10-17',
      }),
    ),
  );
  assert.deepEqual(policyDiff(sent, iam), []);
  assert.deepEqual(policyDiff(undefined, undefined), []);
});

test('policyDiff: the partition decides the root ARN of a bare account', () => {
  const cn = trust('arn:aws-cn:iam::111122223333:root');
  assert.deepEqual(policyDiff(trust('111122223333'), cn, 'aws-cn'), []);
  assert.notDeepEqual(policyDiff(trust('111122223333'), cn), []);
});

test('policyDiff: a different account is a small diff naming both', () => {
  assert.deepEqual(policyDiff(trust('111122223333'), trust('444455556666')), [
    '  …',
    '        "Principal": {',
    '          "AWS": [',
    '-           "arn:aws:iam::111122223333:root"',
    '+           "arn:aws:iam::444455556666:root"',
    '          ]',
    '        }',
    '  …',
  ]);
});

test('policyDiff: an added action shows as one added line, in the documents’ own spelling', () => {
  const diff = policyDiff(trust('111122223333'), trust('111122223333', { Action: ['sts:AssumeRole', 'sts:TagSession'] }));
  assert.deepEqual(
    diff.filter((l) => l.startsWith('- ') || l.startsWith('+ ')),
    ['-         "sts:AssumeRole"', '+         "sts:AssumeRole",', '+         "sts:TagSession"'],
  );
  assert.ok(diff.length <= 10, diff.join('\n'));
});

test('policyDiff: a changed condition value shows old and new value', () => {
  const longer = trust('111122223333', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': true }, NumericLessThan: { 'aws:MultiFactorAuthAge': 7200 } } });
  assert.deepEqual(policyDiff(trust('111122223333'), longer), [
    '  …',
    '          "NumericLessThan": {',
    '            "aws:MultiFactorAuthAge": [',
    '-             "3600"',
    '+             "7200"',
    '            ]',
    '          }',
    '  …',
  ]);
});

test('policyDiff: a document added or removed is all + or all -', () => {
  const added = policyDiff(undefined, trust('111122223333'));
  assert.ok(added.length > 0 && added.every((l) => l.startsWith('+ ')));
  assert.equal(added[0], '+ {');
  const removed = policyDiff(trust('111122223333'), undefined);
  assert.ok(removed.length > 0 && removed.every((l) => l.startsWith('- ')));
});
