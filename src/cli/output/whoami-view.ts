import type { Plan } from '../../config/plan.js';
import { ErrorCodes, RolehopError } from '../../errors.js';
import { formatDuration } from './list-view.js';
import { DEFAULT_FUNCTION_NAME, INIT_SHELLS, rcLine, type InitShell } from './shell-functions.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What GetCallerIdentity said about the shell's credentials (`whoami --verify`). */
export interface Verified {
  arn: string;
  account: string;
  /** The account and role STS names are those the profile gives. */
  matches: boolean;
}

/** What `whoami` reports: the shell's rolehop identity, computed without any AWS call. */
export interface WhoamiView {
  profile: string;
  /** From `AWS_ACCOUNT_ID`, else the profile's final role or SSO account. */
  accountId?: string;
  /** From the cached Organizations inventory. */
  accountName?: string;
  /** Role name of the final hop (or the SSO permission set); absent for a user's own session. */
  role?: string;
  roleArn?: string;
  region?: string;
  /** The access key id the shell holds (not a secret; tells sessions apart). */
  accessKeyId: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`; absent for credentials without an expiry. */
  expiresAt?: string;
  /** Seconds until `expiresAt`, 0 once expired. */
  secondsLeft?: number;
  expired: boolean;
  /** Why the profile's config could not be read, when it could not (the rest comes from the shell alone). */
  planProblem?: string;
  /** Only with `--verify`: the one AWS call `whoami` makes. */
  verified?: Verified;
}

/** What {@link whoamiView} computes from. */
export interface WhoamiInput {
  /** The shell's environment. */
  env: Env;
  /** The plan of `ROLEHOP_PROFILE`, when the config still resolves it. */
  plan?: Plan;
  planProblem?: string;
  accountNames: ReadonlyMap<string, string>;
  /** Milliseconds since the epoch. */
  now: number;
}

/** The line that loads `rh` in the user's login shell (`$SHELL`), bash's when it is none of ours. */
function loadLine(shellPath: string | undefined): string {
  const name = (shellPath ?? '').slice((shellPath ?? '').lastIndexOf('/') + 1);
  return rcLine((INIT_SHELLS as readonly string[]).includes(name) ? (name as InitShell) : 'bash', DEFAULT_FUNCTION_NAME).line;
}

/**
 * ERR_NO_CREDENTIALS unless the shell holds credentials rolehop put there:
 * `ROLEHOP_PROFILE` and an access key. Returns the profile name.
 */
export function shellProfile(env: Env): string {
  const profile = env.ROLEHOP_PROFILE;
  if (!profile || !env.AWS_ACCESS_KEY_ID) {
    throw new RolehopError(ErrorCodes.NO_CREDENTIALS, 'This shell holds no rolehop credentials', {
      hint: profile
        ? `ROLEHOP_PROFILE is "${profile}" but AWS_ACCESS_KEY_ID is not set: run \`rh ${profile}\` again.`
        : `Run \`rh PROFILE\` (after ${loadLine(env.SHELL)}) or \`rolehop exec PROFILE\`.`,
    });
  }
  return profile;
}

function roleOf(plan: Plan | undefined): { roleArn?: string; role?: string; accountId?: string } {
  if (!plan) return {};
  const last = plan.hops[plan.hops.length - 1];
  if (last) return { roleArn: last.roleArn, role: last.roleArn.slice(last.roleArn.lastIndexOf('/') + 1), accountId: last.roleArn.split(':')[4] || undefined };
  if (plan.source.kind === 'sso') return { role: plan.source.roleName, accountId: plan.source.accountId };
  if (plan.source.kind === 'web-identity') return { roleArn: plan.source.roleArn, role: plan.source.roleArn.slice(plan.source.roleArn.lastIndexOf('/') + 1) };
  return {};
}

function expiryOf(env: Env): Date | undefined {
  // ROLEHOP_EXPIRES is rolehop's own; AWS_CREDENTIAL_EXPIRATION covers a shell set by an older rolehop.
  if (env.ROLEHOP_EXPIRES && /^\d+$/.test(env.ROLEHOP_EXPIRES)) return new Date(Number(env.ROLEHOP_EXPIRES) * 1000);
  const iso = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
  return iso && !Number.isNaN(iso.getTime()) ? iso : undefined;
}

/** The shell's identity (pure): see {@link WhoamiView} for where each field comes from. */
export function whoamiView(input: WhoamiInput): WhoamiView {
  const { env } = input;
  const profile = shellProfile(env);
  const fromPlan = roleOf(input.plan);
  const accountId = env.AWS_ACCOUNT_ID || fromPlan.accountId;
  const accountName = accountId ? input.accountNames.get(accountId) : undefined;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const expiry = expiryOf(env);
  const left = expiry ? Math.floor((expiry.getTime() - input.now) / 1000) : undefined;
  return {
    profile,
    ...(accountId ? { accountId } : {}),
    ...(accountName ? { accountName } : {}),
    ...(fromPlan.role ? { role: fromPlan.role } : {}),
    ...(fromPlan.roleArn ? { roleArn: fromPlan.roleArn } : {}),
    ...(region ? { region } : {}),
    accessKeyId: env.AWS_ACCESS_KEY_ID!,
    ...(expiry ? { expiresAt: expiry.toISOString().replace(/\.\d{3}Z$/, 'Z'), secondsLeft: Math.max(0, left!) } : {}),
    expired: left !== undefined && left <= 0,
    ...(input.planProblem ? { planProblem: input.planProblem } : {}),
  };
}

/**
 * Whether STS's answer is the identity the profile gives: the same account
 * (when known) and, for an assumed role, the same role name. A user's own
 * session (`arn:...:user/alice`) is checked on its account only.
 */
export function identityMatches(v: Pick<WhoamiView, 'accountId' | 'role'>, who: { arn: string; account: string }): boolean {
  if (v.accountId && v.accountId !== who.account) return false;
  // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
  const [kind, roleName] = who.arn.split(':')[5]?.split('/') ?? [];
  return !v.role || kind !== 'assumed-role' || v.role === roleName;
}

/** The view as aligned `label  value` lines for a terminal. */
export function whoamiLines(v: WhoamiView): string[] {
  const rows: Array<[string, string]> = [['profile', v.profile]];
  rows.push(['account', v.accountId ? `${v.accountId}${v.accountName ? ` (${v.accountName})` : ''}` : 'unknown']);
  rows.push(['role', v.roleArn ?? v.role ?? '-']);
  rows.push(['region', v.region ?? '-']);
  rows.push(['access key', v.accessKeyId]);
  if (v.expiresAt) rows.push(['expires', `${v.expiresAt} (${v.expired ? 'expired' : `${formatDuration(v.secondsLeft!)} left`})`]);
  else rows.push(['expires', 'never (long-lived key)']);
  if (v.verified) rows.push(['verified', `${v.verified.arn}${v.verified.matches ? '' : '  (MISMATCH)'}`]);
  if (v.planProblem) rows.push(['note', `profile not in the config now: ${v.planProblem}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, val]) => `${k.padEnd(width)}  ${val}`);
}
