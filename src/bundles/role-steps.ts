import type { NewRole } from '../aws/iam-roles-port.js';

/**
 * One IAM call that converges a role, as data: a plan can be shown, counted
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
  | { op: 'deleteRole' };

/** True for steps that change the role's trust (after which rolehop proves the role can be assumed). */
export function changesTrust(step: RoleStep): boolean {
  return step.op === 'createRole' || step.op === 'updateTrust';
}
