import { danglingPrincipals, normalizePolicy } from '../../policy/policy-normalize.js';
import type { PolicyDocument } from '../../policy/policy-document.js';

/** How bad a finding is: `high` lets in anyone or a stranger; `medium` lacks a guard; `low` is worth a look. */
export type Severity = 'high' | 'medium' | 'low';

/** One reason a role's trust policy is flagged. */
export interface TrustFinding {
  account: string;
  role: string;
  roleArn: string;
  /** The statement's Sid, or its 0-based position. */
  statement: string;
  /** The principal as the policy names it (`*`, an ARN, an account, a service, a provider). */
  principal: string;
  reason: string;
  severity: Severity;
}

/** What the audit knows of the world: which accounts are ours, and which services and providers are expected. */
export interface TrustContext {
  account: string;
  /** Accounts inside the organisation: principals from elsewhere are strangers unless allowed. */
  knownAccounts: ReadonlySet<string>;
  /** Outside accounts that may be trusted (vendors): they need an MFA or an external id condition. */
  allowedAccounts?: ReadonlySet<string>;
  /** Service principals expected; when absent, any `*.amazonaws.com` service is expected. */
  expectedServices?: ReadonlySet<string>;
  /** Federated principals (SAML or OIDC provider ARNs, or `cognito-identity.amazonaws.com`) expected; none by default. */
  expectedFederated?: ReadonlySet<string>;
}

const ACCOUNT_OF_ARN = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/;
/** Conditions that pin a wildcard principal to something: an organisation, an account, a source. */
const PINNING_KEYS = [
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
];

type Statement = { Sid?: string; Effect?: string; Principal?: unknown; Condition?: Record<string, Record<string, string[]>> };

/** The principal's account, for an AWS principal (account id, root or any ARN in an account). */
function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return ACCOUNT_OF_ARN.exec(principal)?.[1];
}

const conditionKeys = (s: Statement) => Object.values(s.Condition ?? {}).flatMap((block) => Object.keys(block).map((k) => k.toLowerCase()));

/** True when the statement requires MFA: `aws:MultiFactorAuthPresent` true (Bool) or an MFA age limit. */
function requiresMfa(s: Statement): boolean {
  const c = s.Condition ?? {};
  for (const [op, block] of Object.entries(c)) {
    for (const [key, values] of Object.entries(block)) {
      const k = key.toLowerCase();
      if (k === 'aws:multifactorauthpresent' && /^bool$/i.test(op) && values.includes('true')) return true;
      if (k === 'aws:multifactorauthage' && /^numericless/i.test(op)) return true;
    }
  }
  return false;
}

/** The principals of a statement by type, `*` as `{ '*': ['*'] }`. */
function principalsOf(s: Statement): Record<string, string[]> {
  const p = s.Principal;
  if (p === '*') return { '*': ['*'] };
  if (!p || typeof p !== 'object') return {};
  return Object.fromEntries(Object.entries(p as Record<string, unknown>).map(([type, ids]) => [type, (Array.isArray(ids) ? ids : [ids]).map(String)]));
}

/**
 * What is wrong with one role's trust policy, statement by statement (Allow
 * statements only; a Deny never lets anyone in):
 * - a wildcard principal (`*`, or `AWS: *`): high, medium when a condition
 *   pins it (organisation, account, source);
 * - an AWS principal from an account outside `knownAccounts`: high, unless
 *   allowed (`allowedAccounts`), when it needs an external id or MFA;
 * - one from another known account without an MFA condition: medium
 *   (external-id roles are for strangers and show as such);
 * - a deleted principal (IAM shows its unique id): medium;
 * - a federated principal not expected: medium; a service principal not
 *   expected: low.
 * Pure.
 */
export function trustFindings(role: { name: string; arn: string; trust: PolicyDocument }, ctx: TrustContext): TrustFinding[] {
  // Normalised one by one: the position in the policy as written names a statement without a Sid.
  const raw = role.trust.Statement;
  const written: unknown[] = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  const statements = written.map((st) => ((normalizePolicy({ Statement: [st] }).Statement as unknown[])[0] ?? {}) as Statement);
  const out: TrustFinding[] = [];
  const dangling = new Set(danglingPrincipals(role.trust));
  statements.forEach((s, i) => {
    if (s.Effect !== 'Allow') return;
    const base = { account: ctx.account, role: role.name, roleArn: role.arn, statement: s.Sid || String(i) };
    const flag = (principal: string, reason: string, severity: Severity) => out.push({ ...base, principal, reason, severity });
    const pinned = conditionKeys(s).some((k) => PINNING_KEYS.includes(k));
    for (const [type, ids] of Object.entries(principalsOf(s))) {
      for (const id of ids) {
        if (id === '*') {
          if (pinned) flag('*', 'anyone, narrowed only by a condition', 'medium');
          else flag('*', 'anyone (wildcard principal)', 'high');
          continue;
        }
        if (type === 'AWS') {
          if (dangling.has(id)) {
            flag(id, 'a deleted principal (IAM shows its unique id)', 'medium');
            continue;
          }
          const account = accountOf(id);
          if (!account) continue;
          if (ctx.allowedAccounts?.has(account) && !ctx.knownAccounts.has(account)) {
            // A vendor proves itself with an external id (the confused-deputy guard), or its people with MFA.
            if (!requiresMfa(s) && !conditionKeys(s).includes('sts:externalid')) flag(id, 'allowed outside account, no external id or MFA condition', 'medium');
          } else if (!ctx.knownAccounts.has(account)) flag(id, 'outside the organisation', 'high');
          else if (account !== ctx.account && !requiresMfa(s)) flag(id, 'another account, no MFA condition', 'medium');
        } else if (type === 'Federated') {
          if (!ctx.expectedFederated?.has(id)) flag(id, 'unexpected federated principal', 'medium');
        } else if (type === 'Service') {
          const expected = ctx.expectedServices ? ctx.expectedServices.has(id) : /\.amazonaws\.com(\.cn)?$/.test(id);
          if (!expected) flag(id, 'unexpected service principal', 'low');
        } else if (type === 'CanonicalUser') {
          flag(id, 'canonical user (an S3 identity)', 'low');
        }
      }
    }
  });
  return out;
}

/** Findings worst first, then by account and role. */
export function sortFindings(findings: TrustFinding[]): TrustFinding[] {
  const rank: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
  return [...findings].sort((a, b) => rank[a.severity] - rank[b.severity] || a.account.localeCompare(b.account) || a.role.localeCompare(b.role));
}
