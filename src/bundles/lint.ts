import type { Partition } from '../aws/partition.js';
import { DEFAULT_SESSION_SECONDS } from '../config/plan.js';
import { closeNames } from '../config/close-names.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { RESERVED_PATH_PREFIXES, OWNER_TAG_KEY, type Bundle, type BundleRole, type PolicyDocument } from './model.js';
import { trustPolicyFor } from './trust-policy.js';

/**
 * Checks of a parsed bundle against what IAM will refuse (errors) and what
 * will work but probably not as meant (warnings). The schema has already
 * checked each value alone; these checks look at sizes after rendering,
 * quotas, and roles side by side. No AWS calls: quotas are AWS's defaults.
 */

/** One lint result. `role` is absent for bundle-wide findings. */
export interface LintFinding {
  level: 'error' | 'warning';
  role?: string;
  /** Stable, kebab-case: `trust-size`, `name-clash`, ... (scripts may filter on it). */
  code: string;
  message: string;
}

/** IAM's MaxSessionDuration range, in seconds. */
const SESSION_MIN = 3600;
const SESSION_MAX = 43200;
/** Trust policy characters (without whitespace): the default quota and the raisable maximum. */
const TRUST_DEFAULT = 2048;
const TRUST_MAX = 4096;
/** Managed policies per role: the default quota and the raisable maximum. */
const MANAGED_DEFAULT = 10;
const MANAGED_MAX = 20;
/** All inline policies of a role together, characters without whitespace. */
const INLINE_TOTAL = 10240;
/** Tags per role, the owner tag included. */
const TAGS_MAX = 50;
/** Role path (without the leading "/") plus name that the console's Switch Role accepts. */
const SWITCH_ROLE_MAX = 64;
/** IAM policy name length, for the identity side's per-role policy. */
const POLICY_NAME_MAX = 128;

/**
 * IAM actions that let a principal give itself, or a principal it controls,
 * more than it has: write or attach policies, change trust or boundaries,
 * get credentials of another user.
 */
const ESCALATING_ACTIONS = [
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
  'iam:AddUserToGroup',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
];
const ADMIN_POLICY = /^arn:[^:]+:iam::aws:policy\/AdministratorAccess$/;
/** The role Organizations creates in member accounts: administrator, at path "/". */
const ORG_ACCESS_ROLE = { path: '/', name: 'OrganizationAccountAccessRole' };

/**
 * Every finding for `bundle`, role by role in file order, then the
 * bundle-wide ones. Trust policies are measured as {@link trustPolicyFor}
 * renders them in `partition` (ARNs are longer in aws-us-gov). Inline
 * policies are measured as written (placeholders not filled in).
 */
export function lintBundle(bundle: Bundle, partition: Partition = 'aws'): LintFinding[] {
  const findings: LintFinding[] = [];
  const admins = bundle.roles.filter(isAdministrator);
  for (const role of bundle.roles) {
    const add = (level: LintFinding['level'], code: string, message: string): void => {
      findings.push({ level, role: role.name, code, message });
    };
    lintSession(role, add);
    lintTrust(role, partition, add);
    lintPathAndName(role, add);
    lintPolicies(role, admins, partition, add);
    const tagCount = Object.keys(role.tags).length + 1;
    if (tagCount > TAGS_MAX) add('error', 'tag-count', `${tagCount} tags with rolehop's ${OWNER_TAG_KEY} tag; IAM allows ${TAGS_MAX} per role`);
  }
  findings.push(...lintNameClashes(bundle), ...lintIdentity(bundle));
  return findings;
}

/**
 * Throws one ERR_BUNDLE error listing every error of `findings` (one line
 * each, naming the file and the role); returns quietly when there are only
 * warnings or nothing.
 */
export function assertLintClean(bundle: Bundle, findings: readonly LintFinding[]): void {
  const errors = findings.filter((f) => f.level === 'error');
  if (errors.length === 0) return;
  const lines = errors.map((f) => `${bundle.file}: ${formatFinding(f)}`);
  throw new RolehopError(ErrorCodes.BUNDLE, lines.join('\n'), {
    hint: 'IAM would refuse these roles or they would not work as written; fix the bundle file and run again.',
    details: { findings: errors },
  });
}

/** `role <name>: <message> [<code>]`, or without the role for bundle-wide findings. */
export function formatFinding(f: LintFinding): string {
  return `${f.role === undefined ? '' : `role ${f.role}: `}${f.message} [${f.code}]`;
}

type Add = (level: LintFinding['level'], code: string, message: string) => void;

function lintSession(role: BundleRole, add: Add): void {
  const d = role.maxSessionDuration;
  if (d < SESSION_MIN || d > SESSION_MAX)
    add('error', 'session-duration', `maxSessionDuration ${d} is outside IAM's ${SESSION_MIN}–${SESSION_MAX} seconds (1–12 h)`);
}

function lintTrust(role: BundleRole, partition: Partition, add: Add): void {
  const { trust } = role;
  if (!trust.mfa) {
    const age = trust.maxMfaAgeSeconds === undefined ? '' : ' (maxMfaAgeSeconds still refuses sessions without MFA: the age key is absent then)';
    add('warning', 'mfa-off', `trust does not require MFA: long-term keys of the trusted accounts can assume it${age}`);
  }
  if (trust.maxMfaAgeSeconds !== undefined && trust.maxMfaAgeSeconds < DEFAULT_SESSION_SECONDS) {
    add(
      'warning',
      'mfa-age-short',
      `maxMfaAgeSeconds ${trust.maxMfaAgeSeconds} is shorter than rolehop's ${duration(DEFAULT_SESSION_SECONDS)} MFA session: the role stops working ` +
        `${duration(trust.maxMfaAgeSeconds)} into a session and rolehop must ask for MFA again; leave it out or use at least ${DEFAULT_SESSION_SECONDS}`,
    );
  }
  const size = JSON.stringify(trustPolicyFor(trust, partition)).length;
  if (size > TRUST_DEFAULT) {
    const beyond = size > TRUST_MAX ? `, and over the ${TRUST_MAX} it can be raised to` : ` (raisable to ${TRUST_MAX} per account)`;
    add('error', 'trust-size', `trust policy is ${size} characters, over IAM's default quota of ${TRUST_DEFAULT}${beyond}; trust fewer accounts or principals`);
  }
  if (trust.principals) {
    for (const p of trust.principals) {
      const account = p.split(':')[4] ?? '';
      if (!trust.accounts.includes(account))
        add('warning', 'principal-account', `trust principal ${p} is not in trust.accounts (${trust.accounts.join(', ')})`);
    }
  }
}

function lintPathAndName(role: BundleRole, add: Add): void {
  const reserved = RESERVED_PATH_PREFIXES.find((prefix) => role.path.startsWith(prefix));
  if (reserved) add('error', 'reserved-path', `path ${role.path} is under ${reserved}, which AWS reserves for its own roles`);
  const switchName = `${role.path.slice(1)}${role.name}`;
  if (switchName.length > SWITCH_ROLE_MAX) {
    add(
      'warning',
      'switch-role-length',
      `path and name together (${switchName}) are ${switchName.length} characters; the console's Switch Role takes at most ${SWITCH_ROLE_MAX}`,
    );
  }
}

function lintPolicies(role: BundleRole, admins: readonly BundleRole[], partition: Partition, add: Add): void {
  const managed = new Set(role.managedPolicies).size;
  if (managed > MANAGED_DEFAULT) {
    const beyond = managed > MANAGED_MAX ? `, and over the ${MANAGED_MAX} it can be raised to` : ` (raisable to ${MANAGED_MAX} per account)`;
    add('error', 'managed-policy-count', `${managed} managed policies, over IAM's default quota of ${MANAGED_DEFAULT} per role${beyond}`);
  }
  const inline = Object.values(role.inlinePolicies).reduce((n, doc) => n + JSON.stringify(doc).length, 0);
  if (inline > INLINE_TOTAL) add('error', 'inline-size', `inline policies total ${inline} characters without whitespace; IAM allows ${INLINE_TOTAL} per role`);

  for (const [name, doc] of Object.entries(role.inlinePolicies)) {
    for (const s of statements(doc)) {
      if (s['Effect'] === 'Deny' && deniesOnBoolMfaFalse(s)) {
        add(
          'warning',
          'mfa-deny-bool',
          `inline policy ${name} denies on Bool aws:MultiFactorAuthPresent false, which never matches long-term keys (the key is absent); use BoolIfExists`,
        );
      }
      if (s['Effect'] === 'Allow' && !isAdministrator(role)) {
        const why = escalation(s, admins, partition);
        if (why) add('warning', 'escalation', `inline policy ${name} could escalate to administrator: ${why}`);
      }
    }
  }
}

/** Case-insensitive duplicates: IAM role names are unique per account regardless of case and path. */
function lintNameClashes(bundle: Bundle): LintFinding[] {
  const seen = new Map<string, string>();
  const findings: LintFinding[] = [];
  for (const role of bundle.roles) {
    const key = role.name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, role.name);
    } else {
      const message =
        first === role.name
          ? `role ${role.name} is defined twice`
          : `role names ${first} and ${role.name} differ only in case; IAM role names are case-insensitive, so an account cannot hold both`;
      findings.push({ level: 'error', role: role.name, code: 'name-clash', message });
    }
  }
  return findings;
}

function lintIdentity(bundle: Bundle): LintFinding[] {
  const identity = bundle.identity;
  if (!identity) return [];
  const findings: LintFinding[] = [];
  const names = bundle.roles.map((r) => r.name);
  for (const [group, roles] of Object.entries(identity.groups)) {
    for (const r of roles) {
      if (names.includes(r)) continue;
      const close = closeNames(r, names, 1);
      const suggestion = close.length > 0 ? ` (did you mean ${close[0]}?)` : '';
      findings.push({ level: 'error', code: 'group-role', message: `identity group ${group} names role ${r}, which is not in the bundle${suggestion}` });
    }
  }
  if (names.length > 1 && !identity.policyName.includes('{role}')) {
    findings.push({
      level: 'error',
      code: 'policy-name',
      message: `identity.policyName ${identity.policyName} has no {role}: every role's assume policy would get the same name`,
    });
  }
  for (const r of names) {
    const policy = identity.policyName.replaceAll('{role}', r);
    if (policy.length > POLICY_NAME_MAX) {
      findings.push({ level: 'error', role: r, code: 'policy-name', message: `identity policy name ${policy} is over IAM's ${POLICY_NAME_MAX} characters` });
    }
  }
  return findings;
}

function isAdministrator(role: BundleRole): boolean {
  return role.managedPolicies.some((arn) => ADMIN_POLICY.test(arn.replaceAll('${partition}', 'aws')));
}

function statements(doc: PolicyDocument): Array<Record<string, unknown>> {
  const s = doc['Statement'];
  const list = Array.isArray(s) ? s : [s];
  return list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** An IAM wildcard pattern (`*`, `?`) as a whole-string regex. */
function glob(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'i' : '');
}

/** Whether an Allow statement allows `action` (Action lists it, or NotAction does not exclude it). Actions are case-insensitive. */
function allows(s: Record<string, unknown>, action: string): boolean {
  if (s['NotAction'] !== undefined) return !strings(s['NotAction']).some((p) => glob(p, true).test(action));
  return strings(s['Action']).some((p) => glob(p, true).test(action));
}

/** Why an Allow statement lets a non-administrator role become one, or undefined. */
function escalation(s: Record<string, unknown>, admins: readonly BundleRole[], partition: Partition): string | undefined {
  const risky = ESCALATING_ACTIONS.filter((a) => allows(s, a));
  if (risky.length > 0) {
    const shown = risky.length > 3 ? `${risky.slice(0, 3).join(', ')} and ${risky.length - 3} more` : risky.join(', ');
    return `it allows ${shown}`;
  }
  if (allows(s, 'iam:PassRole') && passesAnyRole(s, admins, partition)) {
    return 'it allows iam:PassRole on administrator roles (scope Resource to the roles services need, e.g. arn:${partition}:iam::${account}:role/app/*)';
  }
  return undefined;
}

/** Whether a statement's resources cover an administrator role: the bundle's own, or OrganizationAccountAccessRole. */
function passesAnyRole(s: Record<string, unknown>, admins: readonly BundleRole[], partition: Partition): boolean {
  if (s['NotResource'] !== undefined) return true;
  const targets = [ORG_ACCESS_ROLE, ...admins];
  return strings(s['Resource']).some((raw) => {
    const pattern = raw.replaceAll('${partition}', partition).replaceAll('${account}', '*');
    const account = /^\d{12}$/.test(pattern.split(':')[4] ?? '') ? pattern.split(':')[4] : '123456789012';
    const re = glob(pattern, false);
    return targets.some((t) => re.test(`arn:${partition}:iam::${account}:role${t.path}${t.name}`));
  });
}

/** A Deny conditioned on `Bool aws:MultiFactorAuthPresent false` (operator and key names are case-insensitive). */
function deniesOnBoolMfaFalse(s: Record<string, unknown>): boolean {
  const condition = s['Condition'];
  if (typeof condition !== 'object' || condition === null) return false;
  return Object.entries(condition).some(
    ([operator, keys]) =>
      operator.toLowerCase() === 'bool' &&
      typeof keys === 'object' &&
      keys !== null &&
      Object.entries(keys).some(
        ([key, value]) =>
          key.toLowerCase() === 'aws:multifactorauthpresent' && (Array.isArray(value) ? value : [value]).some((v) => String(v).toLowerCase() === 'false'),
      ),
  );
}

/** `8 h`, `90 min`, `45 s`: the largest unit that divides the duration. */
function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
