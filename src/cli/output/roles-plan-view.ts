import type { PlanAction, PlanEntry } from '../../bundles/account-plan.js';
import type { AccountApplyResult, ApplyReport } from '../../bundles/apply-bundle.js';
import { entryOf } from '../../bundles/plan-file.js';
import { escapeControl } from './escape-control.js';
import { plural } from './plural.js';

const MARK: Record<PlanAction, string> = { create: '+', update: '~', noop: '=', conflict: '!', unreachable: '?', prune: '-' };
const LABEL: Record<PlanAction, string> = {
  create: 'create',
  update: 'update',
  noop: 'no change',
  conflict: 'conflict',
  unreachable: 'unreachable',
  prune: 'prune',
};

/** Text from AWS or a file (a role description, a tag) cannot move the cursor. */
const clean = escapeControl;

/** One NDJSON line of `roles plan --json`: the entry as a saved plan holds it. */
export function planJsonLine(e: PlanEntry): string {
  return JSON.stringify(entryOf(e));
}

/**
 * The readable plan of one account: a header and one line per role that is
 * not unchanged, with its changes and document diffs indented below.
 * Empty when every role is unchanged (a 1,000-account plan shows only drift).
 */
export function accountPlanText(entries: PlanEntry[]): string {
  const shown = entries.filter((e) => e.action !== 'noop');
  if (!shown.length) return '';
  const first = shown[0]!;
  const lines = [`${first.account}${first.accountName ? ` ${clean(first.accountName)}` : ''}`];
  const label = (e: PlanEntry) => (e.kind ? `${e.kind} ${e.role}` : e.role);
  const width = Math.max(...shown.map((e) => label(e).length));
  for (const e of shown) {
    const why = e.reason ? `: ${clean(e.reason)}` : '';
    lines.push(`  ${MARK[e.action]} ${label(e).padEnd(width)}  ${LABEL[e.action]}${why}`);
    if (e.action === 'create') continue;
    for (const c of e.changes) {
      lines.push(`      ${clean(c.summary)}`);
      for (const d of c.diff ?? []) lines.push(`        ${clean(d)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Counts per action. */
export function countActions(entries: PlanEntry[]): Record<PlanAction, number> {
  const n: Record<PlanAction, number> = { create: 0, update: 0, noop: 0, conflict: 0, unreachable: 0, prune: 0 };
  for (const e of entries) n[e.action]++;
  return n;
}

/** The last line of a plan: what would change, in how many accounts. */
export function planSummary(entries: PlanEntry[], accounts: number): string {
  const n = countActions(entries);
  const parts = [
    `${n.create} to create`,
    `${n.update} to update`,
    ...(n.prune ? [`${n.prune} to prune (rolehop roles prune)`] : []),
    ...(n.conflict ? [plural(n.conflict, 'conflict')] : []),
    ...(n.unreachable ? [`${n.unreachable} unreachable`] : []),
    `${n.noop} unchanged`,
  ];
  return `Plan: ${parts.join(', ')}, in ${plural(accounts, 'account')}.\n`;
}

/** `A, B and policies p, q and group g`: identity results are named `policy NAME` / `group NAME`. */
function byKind(names: string[]): string {
  const kinds = { role: [] as string[], policy: [] as string[], group: [] as string[] };
  for (const n of names) {
    const m = /^(policy|group) (.*)$/.exec(n);
    if (m) kinds[m[1] as 'policy' | 'group'].push(m[2]!);
    else kinds.role.push(n);
  }
  return [
    kinds.role.join(', '),
    kinds.policy.length ? `${kinds.policy.length === 1 ? 'policy' : 'policies'} ${kinds.policy.join(', ')}` : '',
    kinds.group.length ? `${kinds.group.length === 1 ? 'group' : 'groups'} ${kinds.group.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

/** One line per account as apply finishes it. */
export function applyLine(r: AccountApplyResult): string {
  const who = `${r.account}${r.name ? ` ${clean(r.name)}` : ''}`;
  if (r.status === 'failed') return `✗ ${who}: ${clean(r.error?.message ?? 'failed')}\n`;
  if (r.status === 'skipped') return `- ${who}: not started\n`;
  if (r.status === 'unchanged') return `= ${who}: already as the bundle says\n`;
  if (r.status === 'stopped') {
    const done = r.roles.length ? `${doneText(r)} (${plural(r.mutatingCalls, 'IAM call')}); ` : '';
    const unproven = r.roles.filter((x) => x.verifySkipped).map((x) => x.role);
    return `~ ${who}: stopped: ${done}not started: ${byKind(r.notStarted ?? [])}${unproven.length ? `; not proven: ${unproven.join(', ')}` : ''}\n`;
  }
  const proven = r.roles.some((x) => x.verified) ? `, assumable after ${(r.propagationMs! / 1000).toFixed(1)} s` : '';
  const skipped = r.roles.find((x) => x.verifySkipped);
  return `✓ ${who}: ${doneText(r)} (${plural(r.mutatingCalls, 'IAM call')}${proven})${skipped ? `; not proven: ${skipped.verifySkipped}` : ''}\n`;
}

/** `created A, B; updated C`. */
function doneText(r: AccountApplyResult): string {
  const verbs: [string, string][] = r.roles.map((x) => [x.action === 'prune' ? 'deleted' : x.action === 'create' ? 'created' : 'updated', x.role]);
  const grouped = ['created', 'updated', 'deleted']
    .map((v) => [v, verbs.filter(([w]) => w === v).map(([, role]) => role)] as const)
    .filter(([, names]) => names.length)
    .map(([v, names]) => `${v} ${byKind(names)}`);
  return grouped.join('; ');
}

/** The summary after apply or prune. */
export function applySummary(report: ApplyReport, verb: 'Applied' | 'Pruned'): string {
  const times = report.accounts.flatMap((a) => (a.propagationMs !== undefined ? [a.propagationMs] : [])).sort((a, b) => a - b);
  const median = times.length
    ? ` Trust propagation: median ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(1)} s, max ${(times[times.length - 1]! / 1000).toFixed(1)} s.`
    : '';
  const stopped = report.interrupted
    ? ` Interrupted: ${report.stopped} stopped part-way, ${report.skipped} not started; the same command again does the rest.`
    : report.stoppedEarly
      ? ` Stopped early: ${report.skipped} not started (the canary or too many accounts failed).`
      : '';
  return `${verb}: ${report.changed} changed, ${report.failed} failed, ${plural(report.mutatingCalls, 'IAM call')}.${median}${stopped}\n`;
}
