import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanEntry } from '../../bundles/account-plan.js';
import { accountPlanText, applyLine, applySummary, planJsonLine, planSummary } from './roles-plan-view.js';

const A = '222222222222';
const e = (role: string, action: PlanEntry['action'], extra: Partial<PlanEntry> = {}): PlanEntry => ({
  account: A,
  accountName: 'prod',
  role,
  action,
  changes: [],
  ...extra,
});

describe('roles plan output', () => {
  it('shows only what would change, with diffs indented under their role', () => {
    const text = accountPlanText([
      e('Admin', 'noop'),
      e('Operator', 'update', { changes: [{ field: 'trust', summary: 'trust policy differs', diff: ['-   "a"', '+   "b"'] }] }),
      e('Viewer', 'conflict', { reason: 'a role rolehop does not own has this name' }),
    ]);
    assert.equal(
      text,
      [
        '222222222222 prod',
        '  ~ Operator  update',
        '      trust policy differs',
        '        -   "a"',
        '        +   "b"',
        '  ! Viewer    conflict: a role rolehop does not own has this name',
        '',
      ].join('\n'),
    );
    assert.equal(accountPlanText([e('Admin', 'noop')]), '', 'an account without drift prints nothing');
  });

  it('escapes control characters that came from AWS', () => {
    const text = accountPlanText([e('Admin', 'update', { changes: [{ field: 'description', summary: 'description "\u001b[2J" → ""' }] })]);
    assert.ok(!text.includes('\u001b'), text);
    assert.match(text, /\\x1b\[2J/);
  });

  it('prints one JSON line per role with the documented fields', () => {
    assert.deepEqual(JSON.parse(planJsonLine(e('Admin', 'create'))), { account: A, accountName: 'prod', role: 'Admin', action: 'create', changes: [] });
  });

  it('sums up a plan and an account of apply in one line each', () => {
    assert.equal(
      planSummary([e('A', 'create'), e('B', 'noop'), e('C', 'conflict')], 1),
      'Plan: 1 to create, 0 to update, 1 conflict, 1 unchanged, in 1 account.\n',
    );
    const line = applyLine({
      account: A,
      name: 'prod',
      status: 'changed',
      roles: [
        { role: 'Admin', action: 'create', calls: 2, verified: { propagationMs: 1500, attempts: 2 } },
        { role: 'Viewer', action: 'update', calls: 1 },
      ],
      mutatingCalls: 3,
      propagationMs: 1500,
      durationMs: 10,
    });
    assert.equal(line, '✓ 222222222222 prod: created Admin; updated Viewer (3 IAM calls, assumable after 1.5 s)\n');
  });

  it('says what a stop left done and not started, per account and in the summary', () => {
    const stopped = applyLine({
      account: A,
      status: 'stopped',
      roles: [{ role: 'Admin', action: 'create', calls: 2, verifySkipped: 'the apply was stopped before it was proven' }],
      notStarted: ['Viewer', 'Auditor'],
      mutatingCalls: 2,
      durationMs: 10,
    });
    assert.equal(stopped, '~ 222222222222: stopped: created Admin (2 IAM calls); not started: Viewer, Auditor; not proven: Admin\n');
    const nothing = applyLine({
      account: A,
      name: 'identity account',
      status: 'stopped',
      roles: [],
      notStarted: ['policy p', 'group g'],
      mutatingCalls: 0,
      durationMs: 1,
    });
    assert.equal(nothing, '~ 222222222222 identity account: stopped: not started: policy p and group g\n');
    const summary = applySummary(
      { accounts: [], changed: 2, failed: 0, skipped: 3, stopped: 1, mutatingCalls: 9, stoppedEarly: true, interrupted: true },
      'Applied',
    );
    assert.equal(summary, 'Applied: 2 changed, 0 failed, 9 IAM calls. Interrupted: 1 stopped part-way, 3 not started; the same command again does the rest.\n');
  });
});
