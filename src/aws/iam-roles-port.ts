/**
 * The IAM role calls of role bundles, behind a narrow port: one bulk read of
 * an account's roles and the mutations that converge one role. Documents
 * travel as JSON text exactly as IAM returns or takes them (the bundle layer
 * decodes and normalises them). Implementations map AWS errors to
 * RolehopErrors (`aws/map-error.ts`; the AWS error name stays in
 * `details.awsCode`).
 */

/** One role as IAM reports it; `trust` and inline documents may be URL-encoded. */
export interface IamRoleRecord {
  name: string;
  path: string;
  arn: string;
  roleId: string;
  trust: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  managedPolicyArns: string[];
  inlinePolicies: { name: string; document: string }[];
  tags: Record<string, string>;
}

/** What a new role is created with (documents as JSON text). */
export interface NewRole {
  name: string;
  path: string;
  trust: string;
  description: string;
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  tags: Record<string, string>;
}

/** A group of the identity account. */
export interface IamGroupRecord {
  name: string;
  path: string;
  arn: string;
  attachedPolicyArns: string[];
}

/** A customer managed policy: its default version's document (maybe URL-encoded) and its versions. */
export interface IamPolicyRecord {
  name: string;
  path: string;
  arn: string;
  document: string;
  /** Version ids, oldest first; the default one marked. */
  versions: { id: string; isDefault: boolean }[];
  /** Only read for policies under the paths asked for (IAM reports policy tags one policy at a time). */
  tags: Record<string, string>;
}

/** A new customer managed policy. */
export interface NewPolicy {
  name: string;
  path: string;
  document: string;
  description: string;
  tags: Record<string, string>;
}

/** The IAM calls of one account. Every method is one logical call (paging included). */
export interface IamRolesPort {
  /** Every role of the account with trust, policies, tags, boundary, description and duration. */
  readRoles(): Promise<IamRoleRecord[]>;
  createRole(role: NewRole): Promise<{ arn: string; roleId: string }>;
  /** Sends both fields always: IAM resets a left-out duration to 3600 and a left-out description to none. */
  updateRole(name: string, description: string, maxSessionDuration: number): Promise<void>;
  updateTrust(name: string, document: string): Promise<void>;
  attachPolicy(name: string, policyArn: string): Promise<void>;
  detachPolicy(name: string, policyArn: string): Promise<void>;
  putInlinePolicy(name: string, policyName: string, document: string): Promise<void>;
  deleteInlinePolicy(name: string, policyName: string): Promise<void>;
  putBoundary(name: string, policyArn: string): Promise<void>;
  deleteBoundary(name: string): Promise<void>;
  tagRole(name: string, tags: Record<string, string>): Promise<void>;
  untagRole(name: string, keys: string[]): Promise<void>;
  /** Deletes the role only; its policies must be gone first (IAM refuses with DeleteConflict). */
  deleteRole(name: string): Promise<void>;

  /** Groups and customer managed policies in one bulk read; policy tags for those under `tagPaths`. */
  readIdentity(tagPaths: string[]): Promise<{ groups: IamGroupRecord[]; policies: IamPolicyRecord[] }>;
  createPolicy(policy: NewPolicy): Promise<{ arn: string }>;
  /** Makes `document` the policy's default version. */
  createPolicyVersion(policyArn: string, document: string): Promise<void>;
  deletePolicyVersion(policyArn: string, versionId: string): Promise<void>;
  createGroup(name: string, path: string): Promise<void>;
  attachGroupPolicy(group: string, policyArn: string): Promise<void>;
  detachGroupPolicy(group: string, policyArn: string): Promise<void>;
}
