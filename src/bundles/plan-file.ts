import { createHash } from 'node:crypto';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { PlanEntry, PlannedRole } from './account-plan.js';
import type { Bundle } from './model.js';
import { canonicalJson } from '../policy/policy-normalize.js';

/** A plan saved with `roles plan --out`: what was reviewed, checked again before `apply --plan` changes anything. */
export interface SavedPlan {
  version: 1;
  bundle: string;
  /** Hash of the bundle's content as parsed: a different bundle is a different plan. */
  bundleHash: string;
  createdAt: string;
  /** The accounts the plan covered, sorted. */
  accounts: string[];
  entries: PlanEntry[];
}

/** The entry as saved and compared: no IAM steps (they follow from the entry). */
export function entryOf(p: PlannedRole | PlanEntry): PlanEntry {
  return {
    account: p.account,
    ...(p.accountName ? { accountName: p.accountName } : {}),
    ...(p.kind ? { kind: p.kind } : {}),
    role: p.role,
    action: p.action,
    changes: p.changes,
    ...(p.reason ? { reason: p.reason } : {}),
    ...(p.dangling?.length ? { dangling: p.dangling } : {}),
  };
}

/** A hash of a bundle's content (its file name left out). */
export function bundleHash(bundle: Bundle): string {
  const { file: _file, ...content } = bundle;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The plan to save. */
export function savedPlan(bundle: Bundle, entries: (PlannedRole | PlanEntry)[], accounts: string[], now = new Date()): SavedPlan {
  return {
    version: 1,
    bundle: bundle.name,
    bundleHash: bundleHash(bundle),
    createdAt: now.toISOString(),
    accounts: [...new Set(accounts)].sort(),
    entries: entries.map(entryOf),
  };
}

/** Reads a saved plan. @throws RolehopError ERR_USAGE when the text is not one. */
export function parseSavedPlan(text: string, file: string): SavedPlan {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new RolehopError(ErrorCodes.USAGE, `${file} is not JSON`, { hint: 'Give --plan the file written by `rolehop roles plan FILE --out PLAN`.' });
  }
  const p = v as Partial<SavedPlan>;
  if (!p || p.version !== 1 || typeof p.bundleHash !== 'string' || !Array.isArray(p.accounts) || !Array.isArray(p.entries))
    throw new RolehopError(ErrorCodes.USAGE, `${file} is not a rolehop roles plan`, {
      hint: 'Give --plan the file written by `rolehop roles plan FILE --out PLAN`.',
    });
  return p as SavedPlan;
}

const key = (e: PlanEntry) => `${e.account}|${e.kind ?? 'role'}|${e.role.toLowerCase()}`;
const effect = (e: PlanEntry) => canonicalJson({ action: e.action, changes: e.changes.map((c) => ({ field: c.field, summary: c.summary })) });

/**
 * Refuses a saved plan that no longer describes what `apply` would do: a
 * different bundle, other accounts, or any (account, role) whose action or
 * changes differ from a fresh plan (someone changed the accounts since).
 *
 * @throws RolehopError ERR_PLAN_STALE naming the first differences.
 */
export function assertPlanCurrent(saved: SavedPlan, bundle: Bundle, fresh: PlanEntry[], accounts: string[], file: string): void {
  const hint = `Run \`rolehop roles plan ${bundle.file} --out ${file}\` again, review it, then apply.`;
  if (saved.bundleHash !== bundleHash(bundle))
    throw new RolehopError(ErrorCodes.PLAN_STALE, `${file} was made from another version of ${bundle.file}`, { hint });
  const now = [...new Set(accounts)].sort();
  if (canonicalJson(now) !== canonicalJson([...saved.accounts].sort())) {
    const was = new Set(saved.accounts);
    const is = new Set(now);
    const added = now.filter((a) => !was.has(a));
    const gone = saved.accounts.filter((a) => !is.has(a));
    const parts = [added.length ? `new: ${added.slice(0, 5).join(', ')}` : '', gone.length ? `gone: ${gone.slice(0, 5).join(', ')}` : ''].filter(Boolean);
    throw new RolehopError(ErrorCodes.PLAN_STALE, `The accounts changed since ${file} was made (${parts.join('; ')})`, { hint });
  }
  const before = new Map(saved.entries.map((e) => [key(e), effect(e)]));
  const differ = fresh.filter((e) => before.get(key(e)) !== effect(e)).map((e) => `${e.account} ${e.role}`);
  const gone = saved.entries.filter((e) => !fresh.some((f) => key(f) === key(e))).map((e) => `${e.account} ${e.role}`);
  const all = [...differ, ...gone];
  if (all.length)
    throw new RolehopError(
      ErrorCodes.PLAN_STALE,
      `${all.length} role(s) changed since ${file} was made: ${all.slice(0, 5).join(', ')}${all.length > 5 ? ', …' : ''}`,
      { hint },
    );
}
