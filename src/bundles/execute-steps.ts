import type { IamRolesPort } from '../aws/iam-roles-port.js';
import { fullJitterDelay, retry } from '../async/retry.js';
import type { RoleStep } from './role-steps.js';
import { awsErrorName } from '../aws/map-error.js';

/** How long a trust policy naming a just-created principal may be refused as "Invalid principal". */
export const PRINCIPAL_PROPAGATION_TIMEOUT_MS = 90_000;

/**
 * IAM refuses a trust policy whose principal it has not propagated yet
 * (a user or role created seconds ago) as MalformedPolicyDocument "Invalid
 * principal"; the same document succeeds later.
 */
export function isPrincipalNotYetVisible(e: unknown): boolean {
  return awsErrorName(e) === 'MalformedPolicyDocument' && /invalid principal/i.test(String((e as Error)?.message ?? ''));
}

/** Options of {@link executeSteps}. */
export interface ExecuteOptions {
  signal?: AbortSignal;
  /** Overrides the "Invalid principal" retry budget (tests). */
  principalTimeoutMs?: number;
  /** Called after each call IAM accepted. */
  onCall?: (step: RoleStep) => void;
}

/** One step as the port call it stands for; `role` is the step's subject (a role, or a group for group steps). */
function send(port: IamRolesPort, role: string, s: RoleStep): Promise<unknown> {
  switch (s.op) {
    case 'createRole':
      return port.createRole(s.role);
    case 'updateTrust':
      return port.updateTrust(role, s.document);
    case 'updateRole':
      return port.updateRole(role, s.description, s.maxSessionDuration);
    case 'putBoundary':
      return port.putBoundary(role, s.policyArn);
    case 'tagRole':
      return port.tagRole(role, s.tags);
    case 'attachPolicy':
      return port.attachPolicy(role, s.policyArn);
    case 'putInlinePolicy':
      return port.putInlinePolicy(role, s.policyName, s.document);
    case 'detachPolicy':
      return port.detachPolicy(role, s.policyArn);
    case 'deleteInlinePolicy':
      return port.deleteInlinePolicy(role, s.policyName);
    case 'deleteBoundary':
      return port.deleteBoundary(role);
    case 'untagRole':
      return port.untagRole(role, s.keys);
    case 'deleteRole':
      return port.deleteRole(role);
    case 'createPolicy':
      return port.createPolicy(s.policy);
    case 'createPolicyVersion':
      return port.createPolicyVersion(s.policyArn, s.document);
    case 'deletePolicyVersion':
      return port.deletePolicyVersion(s.policyArn, s.versionId);
    case 'createGroup':
      return port.createGroup(role, s.path);
    case 'attachGroupPolicy':
      return port.attachGroupPolicy(role, s.policyArn);
    case 'detachGroupPolicy':
      return port.detachGroupPolicy(role, s.policyArn);
  }
}

/**
 * Runs a role's steps in order, stopping at the first failure (the order
 * is additive first, so a failure leaves the role with more access paths
 * than planned, never fewer). Throttling is retried by the client; a trust
 * policy refused for a principal IAM has not propagated yet is retried
 * here. Returns how many calls IAM accepted.
 */
export async function executeSteps(port: IamRolesPort, role: string, steps: RoleStep[], opts: ExecuteOptions = {}): Promise<number> {
  let calls = 0;
  for (const step of steps) {
    const trustBearing = step.op === 'createRole' || step.op === 'updateTrust';
    await retry(() => send(port, role, step), {
      retryIf: (e) => trustBearing && isPrincipalNotYetVisible(e),
      delayMs: (n) => fullJitterDelay(n, { baseMs: 1000, capMs: 8000 }),
      timeoutMs: opts.principalTimeoutMs ?? PRINCIPAL_PROPAGATION_TIMEOUT_MS,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    calls++;
    opts.onCall?.(step);
  }
  return calls;
}
