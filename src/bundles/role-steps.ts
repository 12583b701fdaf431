import type { NewPolicy, NewRole } from '../aws/iam-roles-port.js';

/**
 * One IAM call that converges a role (or, in the identity account, a
 * policy or a group: the step's subject), as data: a plan can be shown, counted
 * and tested without calling AWS. Documents are JSON text as sent.
 */
export type RoleStep =
  | { op: 'createRole'; role: NewRole }
  | { op: 'updateTrust'; document: string }
  | { op: 'updateRole'; description: string; maxSessionDuration: number }
  | { op: 'putBoundary'; policyArn: string }
  | { op: 'tagRole'; tags: Record<string, string> }
  | { op: 'attachPolicy'; policyArn: string }
  | { op: 'putInlinePolicy'; policyName: string; document: string }
  | { op: 'detachPolicy'; policyArn: string }
  | { op: 'deleteInlinePolicy'; policyName: string }
  | { op: 'deleteBoundary' }
  | { op: 'untagRole'; keys: string[] }
  | { op: 'deleteRole' }
  // The identity account's side: the subject is a policy or a group.
  | { op: 'createPolicy'; policy: NewPolicy }
  | { op: 'createPolicyVersion'; policyArn: string; document: string }
  | { op: 'deletePolicyVersion'; policyArn: string; versionId: string }
  | { op: 'createGroup'; path: string }
  | { op: 'attachGroupPolicy'; policyArn: string }
  | { op: 'detachGroupPolicy'; policyArn: string };

/** True for steps that change the role's trust (after which rolehop proves the role can be assumed). */
export function changesTrust(step: RoleStep): boolean {
  return step.op === 'createRole' || step.op === 'updateTrust';
}
