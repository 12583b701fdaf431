import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBundle } from './bundle-file.js';
import type { PlanEntry } from './account-plan.js';
import { assertPlanCurrent, parseSavedPlan, savedPlan } from './plan-file.js';

const text = (tier: string) => `version: 1\nidentityAccount: "111111111111"\nroles:\n  - name: ${tier}\n    managedPolicies: [ReadOnlyAccess]\n`;
const bundle = parseBundle(text('Viewer'), 'b.yaml');
const entry = (account: string, action: PlanEntry['action']): PlanEntry => ({
  account,
  role: 'Viewer',
  action,
  changes: action === 'create' ? [{ field: 'role', summary: 'create /rolehop/Viewer' }] : [],
});
const accounts = ['222222222222', '333333333333'];
const entries = [entry('222222222222', 'create'), entry('333333333333', 'noop')];

describe('saved plans', () => {
  it('round-trips and matches a fresh plan that says the same', () => {
    const saved = parseSavedPlan(JSON.stringify(savedPlan(bundle, entries, accounts)), 'p.json');
    assert.doesNotThrow(() => assertPlanCurrent(saved, bundle, entries, [...accounts].reverse(), 'p.json'));
  });

  it('is refused when the accounts, a role or the bundle changed since', () => {
    const saved = savedPlan(bundle, entries, accounts);
    const stale = (fn: () => void, re: RegExp) => assert.throws(fn, (e: Error & { code?: string }) => e.code === 'ERR_PLAN_STALE' && re.test(e.message));
    stale(() => assertPlanCurrent(saved, bundle, entries, [...accounts, '444444444444'], 'p.json'), /accounts changed.*new: 444444444444/);
    stale(
      () => assertPlanCurrent(saved, bundle, [entry('222222222222', 'create'), entry('333333333333', 'create')], accounts, 'p.json'),
      /1 role\(s\) changed.*333333333333 Viewer/,
    );
    stale(() => assertPlanCurrent(saved, parseBundle(text('Reader'), 'b.yaml'), entries, accounts, 'p.json'), /another version of b.yaml/);
  });

  it('refuses a file that is not a plan', () => {
    assert.throws(() => parseSavedPlan('{"hello":1}', 'x.json'), /not a rolehop roles plan/);
    assert.throws(() => parseSavedPlan('nope', 'x.json'), /not JSON/);
  });
});
