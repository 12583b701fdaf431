import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markedSections, markSection, mergeSections, sectionDates } from './results-file.js';

test('a marked section reads back by name, markers included, trailing blank lines dropped', () => {
  const a = markSection('cold-start', '## A\n\n| x |\n\n');
  const b = markSection('roles-plan', '## B');
  const page = `# Latest\n\nRun on today.\n\n${a}\n\n${b}\n`;
  const got = markedSections(page);
  assert.deepEqual([...got.keys()], ['cold-start', 'roles-plan']);
  assert.equal(got.get('cold-start'), '<!-- bench:cold-start -->\n## A\n\n| x |\n<!-- /bench:cold-start -->');
  assert.equal(got.get('roles-plan'), b);
});

test('a file without markers has no sections', () => {
  assert.equal(markedSections('# Latest\n\n## Fan-out\n').size, 0);
});

test('a partial run replaces its sections in place and appends new ones', () => {
  const previous = new Map([
    ['cold-start', 'old cold'],
    ['fanout', 'old fanout'],
  ]);
  const fresh = new Map([
    ['roles-plan', 'new roles'],
    ['cold-start', 'new cold'],
  ]);
  assert.deepEqual(mergeSections(previous, fresh), ['new cold', 'old fanout', 'new roles']);
  assert.deepEqual(mergeSections(new Map(), fresh), ['new roles', 'new cold']);
});

test('section dates: runAt first, else the previous run date, else none', () => {
  const prev = { machine: { date: 'D0' }, runAt: { fanout: 'D1' } };
  assert.deepEqual(sectionDates(prev, ['fanout', 'servers']), { fanout: 'D1', servers: 'D0' });
  assert.deepEqual(sectionDates(undefined, ['fanout']), {});
});
