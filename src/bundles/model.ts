/**
 * The vocabulary of role bundles: what a bundle file says (after parsing and
 * defaults), what rolehop wants a role to look like in one account, and what
 * it read back from IAM. Pure data; no AWS calls and no I/O here.
 */

/** Tag key that marks a role as rolehop's; its value is the bundle's name. */
export const OWNER_TAG_KEY = 'rolehop:bundle';
/** Path of the roles a bundle manages unless it says otherwise. */
export const DEFAULT_ROLE_PATH = '/rolehop/';
/** Paths AWS reserves for its own roles: never created, changed or pruned. */
export const RESERVED_PATH_PREFIXES = ['/aws-service-role/', '/aws-reserved/', '/service-role/'] as const;

import type { PolicyDocument } from '../policy/policy-document.js';

export type { PolicyDocument };

/** Which accounts a role (or the whole bundle) applies to, within the run's selection. */
export interface AccountFilter {
  /** Only accounts under one of these OUs or roots (ids), recursively. */
  ous?: string[];
  /** Only accounts with all of these Organizations tags. */
  tags?: Record<string, string>;
  /** Only accounts whose name matches one of these globs (`*`, `?`; case-insensitive). */
  names?: string[];
  /** Only these account ids. */
  accounts?: string[];
  /** Never these account ids. */
  exclude?: string[];
}

/** Who may assume a role. */
export interface TrustSpec {
  /** Trusted accounts (12-digit ids); the principal is each account's root unless `principals` is given. */
  accounts: string[];
  /** Specific principal ARNs instead of the accounts' roots (users, roles). */
  principals?: string[];
  /** Require an MFA session (`Bool aws:MultiFactorAuthPresent true`). */
  mfa: boolean;
  /** Maximum age of the MFA authentication, in seconds (`NumericLessThan aws:MultiFactorAuthAge`). */
  maxMfaAgeSeconds?: number;
  /** Required `sts:ExternalId`. */
  externalId?: string;
}

/** One role of a bundle, with the bundle's defaults applied. */
export interface BundleRole {
  name: string;
  /** Always begins and ends with `/`. */
  path: string;
  description: string;
  trust: TrustSpec;
  /**
   * Managed policy ARNs as written: a full ARN, or a template with
   * `${partition}` and `${account}` placeholders; see `desired-role.ts`.
   */
  managedPolicies: string[];
  /** Inline policies by name. */
  inlinePolicies: Record<string, PolicyDocument>;
  /** Permissions boundary policy ARN (same placeholders as managed policies). */
  permissionsBoundary?: string;
  /** 3600–43200 seconds. */
  maxSessionDuration: number;
  /** The user's tags; the owner tag is added by rolehop. */
  tags: Record<string, string>;
  /** Accounts that get this role; all selected accounts when absent. */
  accounts?: AccountFilter;
}

/** The identity (hub) account side: what lets its users assume the roles. */
export interface IdentitySide {
  /** The identity account id. */
  account: string;
  /** Groups to manage in the identity account, each allowed to assume these bundle roles. */
  groups: Record<string, string[]>;
  /** Name of the customer managed policy that allows `sts:AssumeRole` on a role (one per role; `{role}` is replaced). */
  policyName: string;
  /** Also manage a policy that denies everything but MFA self-management without an MFA session. */
  mfaGuard: boolean;
}

/** A parsed, defaulted bundle. */
export interface Bundle {
  /** Bundle name: the owner tag's value; lets several bundles coexist. */
  name: string;
  /** Where it came from (for messages). */
  file: string;
  roles: BundleRole[];
  identity?: IdentitySide;
  /** Accounts of the selection the whole bundle applies to. */
  accounts?: AccountFilter;
}

/** What rolehop wants one role to be in one account: concrete ARNs and documents. */
export interface DesiredRole {
  name: string;
  path: string;
  description: string;
  trust: PolicyDocument;
  managedPolicyArns: string[];
  inlinePolicies: Record<string, PolicyDocument>;
  permissionsBoundaryArn?: string;
  maxSessionDuration: number;
  /** Including the owner tag. */
  tags: Record<string, string>;
}

/** A role as IAM reports it, documents decoded from URL-encoded JSON. */
export interface LiveRole {
  name: string;
  path: string;
  arn: string;
  /** `AROA…`: changes when a role is deleted and recreated. */
  roleId: string;
  trust: PolicyDocument;
  /** Undefined when IAM has none (or did not report it). */
  description?: string;
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  managedPolicyArns: string[];
  inlinePolicies: Record<string, PolicyDocument>;
  tags: Record<string, string>;
}
