import type { Partition } from '../aws/partition.js';
import { OWNER_TAG_KEY, type DesiredRole, type LiveRole } from './model.js';
import { policyDiff } from './line-diff.js';
import { canonicalJson, danglingPrincipals, policiesEqual } from '../policy/policy-normalize.js';
import type { RoleStep } from './role-steps.js';

/** What part of a role differs. */
export type ChangeField =
  | 'role'
  | 'document'
  | 'attachedPolicies'
  | 'trust'
  | 'managedPolicies'
  | 'inlinePolicies'
  | 'permissionsBoundary'
  | 'maxSessionDuration'
  | 'description'
  | 'tags';

/** One readable difference between a role and the bundle. */
export interface RoleChange {
  field: ChangeField;
  /** One line: what changes, for a person and for `--json`. */
  summary: string;
  /** A line diff of the document (`- `, `+ `, `  ` prefixes), for policy documents. */
  diff?: string[];
}

/** The difference of one role: what it is, what would change, and the IAM calls that converge it. */
export interface RoleComparison {
  action: 'create' | 'update' | 'noop';
  changes: RoleChange[];
  /** In order: additive calls first (create, put, attach, tag), subtractive last (detach, delete, untag). */
  steps: RoleStep[];
  /** Trust principals IAM shows as unique ids: their user or role was deleted. */
  dangling: string[];
}

const sortedKeys = (o: Record<string, unknown>) => Object.keys(o).sort();

/** The IAM calls that create `d` from nothing. */
function createSteps(d: DesiredRole): RoleStep[] {
  return [
    {
      op: 'createRole',
      role: {
        name: d.name,
        path: d.path,
        trust: JSON.stringify(d.trust),
        description: d.description,
        maxSessionDuration: d.maxSessionDuration,
        ...(d.permissionsBoundaryArn ? { permissionsBoundaryArn: d.permissionsBoundaryArn } : {}),
        tags: d.tags,
      },
    },
    ...d.managedPolicyArns.map((policyArn): RoleStep => ({ op: 'attachPolicy', policyArn })),
    ...sortedKeys(d.inlinePolicies).map((policyName): RoleStep => ({
      op: 'putInlinePolicy',
      policyName,
      document: JSON.stringify(d.inlinePolicies[policyName]),
    })),
  ];
}

/**
 * Compares a desired role with the live one (undefined: it does not exist).
 * Documents are compared after normalising AWS's rewrites, so an unchanged
 * bundle compares equal. The caller has already decided the live role is
 * rolehop's (owner tag and path); this only diffs. Pure.
 */
export function compareRole(d: DesiredRole, live: LiveRole | undefined, partition: Partition): RoleComparison {
  if (!live)
    return {
      action: 'create',
      changes: [{ field: 'role', summary: `create ${d.path}${d.name}` }],
      steps: createSteps(d),
      dangling: [],
    };
  const changes: RoleChange[] = [];
  const add: RoleStep[] = [];
  const remove: RoleStep[] = [];
  const dangling = danglingPrincipals(live.trust);

  if (!policiesEqual(d.trust, live.trust, partition)) {
    const why = dangling.length ? ` (dangling principal ${dangling.join(', ')}: a deleted user or role)` : '';
    changes.push({ field: 'trust', summary: `trust policy differs${why}`, diff: policyDiff(live.trust, d.trust, partition) });
    add.push({ op: 'updateTrust', document: JSON.stringify(d.trust) });
  }
  const liveDescription = live.description ?? '';
  if (liveDescription !== d.description || live.maxSessionDuration !== d.maxSessionDuration) {
    if (liveDescription !== d.description)
      changes.push({ field: 'description', summary: `description ${JSON.stringify(liveDescription)} → ${JSON.stringify(d.description)}` });
    if (live.maxSessionDuration !== d.maxSessionDuration)
      changes.push({ field: 'maxSessionDuration', summary: `MaxSessionDuration ${live.maxSessionDuration} → ${d.maxSessionDuration}` });
    // Both fields always: UpdateRole resets whichever is left out.
    add.push({ op: 'updateRole', description: d.description, maxSessionDuration: d.maxSessionDuration });
  }
  if (live.permissionsBoundaryArn !== d.permissionsBoundaryArn) {
    changes.push({
      field: 'permissionsBoundary',
      summary: `permissions boundary ${live.permissionsBoundaryArn ?? 'none'} → ${d.permissionsBoundaryArn ?? 'none'}`,
    });
    if (d.permissionsBoundaryArn) add.push({ op: 'putBoundary', policyArn: d.permissionsBoundaryArn });
    else remove.push({ op: 'deleteBoundary' });
  }

  const tagsToSet = Object.fromEntries(Object.entries(d.tags).filter(([k, v]) => live.tags[k] !== v));
  const tagsToRemove = sortedKeys(live.tags).filter((k) => !(k in d.tags));
  if (Object.keys(tagsToSet).length || tagsToRemove.length) {
    const parts = [
      ...Object.keys(tagsToSet)
        .sort()
        .map((k) => `${k}=${tagsToSet[k]}${k in live.tags ? ` (was ${live.tags[k]})` : ''}`),
      ...tagsToRemove.map((k) => `remove ${k}`),
    ];
    changes.push({ field: 'tags', summary: `tags: ${parts.join(', ')}` });
    if (Object.keys(tagsToSet).length) add.push({ op: 'tagRole', tags: tagsToSet });
    if (tagsToRemove.length) remove.push({ op: 'untagRole', keys: tagsToRemove });
  }

  const attached = new Set(live.managedPolicyArns);
  const wanted = new Set(d.managedPolicyArns);
  const toAttach = d.managedPolicyArns.filter((a) => !attached.has(a));
  const toDetach = live.managedPolicyArns.filter((a) => !wanted.has(a));
  if (toAttach.length || toDetach.length) {
    const parts = [...toAttach.map((a) => `attach ${a}`), ...toDetach.map((a) => `detach ${a} (attached outside the bundle)`)];
    changes.push({ field: 'managedPolicies', summary: `managed policies: ${parts.join(', ')}` });
    add.push(...toAttach.map((policyArn): RoleStep => ({ op: 'attachPolicy', policyArn })));
    remove.push(...toDetach.map((policyArn): RoleStep => ({ op: 'detachPolicy', policyArn })));
  }

  for (const name of sortedKeys(d.inlinePolicies)) {
    const want = d.inlinePolicies[name]!;
    const have = live.inlinePolicies[name];
    if (have && policiesEqual(want, have, partition)) continue;
    changes.push({
      field: 'inlinePolicies',
      summary: have ? `inline policy ${name} differs` : `add inline policy ${name}`,
      diff: policyDiff(have, want, partition),
    });
    add.push({ op: 'putInlinePolicy', policyName: name, document: JSON.stringify(want) });
  }
  for (const name of sortedKeys(live.inlinePolicies)) {
    if (name in d.inlinePolicies) continue;
    changes.push({
      field: 'inlinePolicies',
      summary: `delete inline policy ${name} (not in the bundle)`,
      diff: policyDiff(live.inlinePolicies[name], undefined, partition),
    });
    remove.push({ op: 'deleteInlinePolicy', policyName: name });
  }

  const steps = [...add, ...remove];
  return { action: steps.length ? 'update' : 'noop', changes, steps, dangling };
}

/** The calls that delete a role rolehop owns: its policies first, since IAM refuses to delete a role that still has any. */
export function pruneSteps(live: LiveRole): RoleStep[] {
  return [
    ...live.managedPolicyArns.map((policyArn): RoleStep => ({ op: 'detachPolicy', policyArn })),
    ...sortedKeys(live.inlinePolicies).map((policyName): RoleStep => ({ op: 'deleteInlinePolicy', policyName })),
    ...(live.permissionsBoundaryArn ? [{ op: 'deleteBoundary' } as RoleStep] : []),
    { op: 'deleteRole' },
  ];
}

/** A stable fingerprint of a comparison's effect (what a saved plan is checked against). */
export function stepsFingerprint(steps: RoleStep[]): string {
  return canonicalJson(steps);
}

/** The owner tag's value of a live role (the bundle that owns it), if any. */
export function ownerOf(live: LiveRole): string | undefined {
  return live.tags[OWNER_TAG_KEY];
}
