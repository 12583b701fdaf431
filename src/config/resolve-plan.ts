import { safeSessionName } from './session-name.js';
/**
 * Turns a profile of the AWS config into a {@link Plan}: which source, which
 * GetSessionToken, which AssumeRole hops. Pure: no I/O, no clock, no env
 * reads beyond the `env` argument.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import type { AwsConfig, ProfileSection } from './aws-config.js';
import { closeNames } from './close-names.js';
import { resolveEndpoints } from './endpoints.js';
import {
  DEFAULT_SESSION_SECONDS,
  ROLE_CHAIN_MAX_SECONDS,
  type HopStep,
  type Plan,
  type PlanOptions,
  type SessionStep,
  type SourceStep,
} from './plan.js';
import {
  checkExternalId,
  checkMfaSerial,
  checkRoleArn,
  checkRoleSessionName,
  parseDuration,
  profileValue,
  ROLE_DURATION_RANGE,
  SESSION_DURATION_RANGE,
} from './profile-values.js';

/** What `resolvePlan` needs to know beyond the config file. */
export interface PlanContext {
  /** Local user name, for the default `role_session_name`. */
  userName: string;
  /** True when the vault holds a long-lived key for `profile`. */
  hasStoredKey(profile: string): boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The default `role_session_name`: `rolehop-<userName>` reduced to the
 * characters STS allows and to 64 characters. Deterministic (no timestamp) so
 * session cache keys stay stable and CloudTrail shows who assumed the role.
 */
export function defaultRoleSessionName(userName: string): string {
  return safeSessionName(`rolehop-${userName}`);
}

const SSO_KEYS = ['sso_session', 'sso_account_id', 'sso_role_name', 'sso_start_url'];
const UNSUPPORTED_CREDENTIAL_SOURCES = new Set(['Ec2InstanceMetadata', 'EcsContainer']);

interface Named {
  name: string;
  section: ProfileSection;
}

function invalid(config: AwsConfig, profile: string, message: string, hint: string): RolehopError {
  return new RolehopError(ErrorCodes.PROFILE_INVALID, `Profile "${profile}" in ${config.path}: ${message}`, { hint, details: { profile } });
}

/**
 * Resolves `profile` into a {@link Plan}.
 *
 * Chain: a profile with `role_arn` needs exactly one of `source_profile`
 * (any depth; `source_profile` naming the profile itself means "its own
 * stored key, then its role") or `credential_source = Environment`. The chain
 * ends at a profile without `role_arn`, whose credentials are its
 * `credential_process`, else its key in the vault. Keys written in the config
 * file are never used. A profile absent from the config but present in the
 * vault is a plain key profile. `[default]` is not inherited.
 *
 * MFA ("one code for many roles", as aws-vault): the serial is the first
 * `mfa_serial` found walking from the source profile towards the target;
 * `mfa_process` comes from the same profile.
 * - Stored-key source, serial, hops: one GetSessionToken with MFA (duration
 *   `session_duration` of the source profile, else
 *   {@link DEFAULT_SESSION_SECONDS}), then every hop is chained and capped at
 *   {@link ROLE_CHAIN_MAX_SECONDS} (with a warning when more was asked).
 *   Exception: when the first hop asks for more than 1 h (its
 *   `duration_seconds`, or `opts.durationSeconds` on a single-hop plan), or
 *   with `opts.noSession`, no session: the first hop sends the MFA itself.
 * - Stored-key source, no serial, hops: the first hop uses the long-lived key.
 * - Stored-key source, no hops: a GetSessionToken (with MFA when a serial is
 *   set) so a child never receives the long-lived key, unless `noSession`.
 *   Its duration is `opts.durationSeconds`, else `session_duration`, else the default.
 * - Process or environment source: no session; the serial goes on the first hop.
 *
 * Hops: `role_session_name` (default {@link defaultRoleSessionName}),
 * `external_id` and `duration_seconds` (default 3600) from each hop's own
 * profile; `opts.durationSeconds` overrides the final hop.
 *
 * Region: `opts.region`, else the nearest `region` walking from the target
 * towards the source, else `AWS_REGION`, else `AWS_DEFAULT_REGION`.
 * Endpoints: see `resolveEndpoints` (target profile's settings).
 *
 * Errors: ERR_PROFILE_NOT_FOUND (with close names), ERR_PROFILE_CYCLE (with
 * the chain), ERR_PROFILE_INVALID (malformed or unsupported settings),
 * ERR_NO_STORED_KEY, ERR_USAGE (bad `opts.durationSeconds`).
 */
export function resolvePlan(config: AwsConfig, profile: string, opts: PlanOptions, env: Env, ctx: PlanContext): Plan {
  const warnings: string[] = [];
  const lookup = (name: string, referencedBy?: string): ProfileSection => {
    const section = config.profiles.get(name);
    if (section) return section;
    if (ctx.hasStoredKey(name)) return {};
    throw notFound(config, name, referencedBy);
  };

  // Walk from the target to the source. `roles` is collected target-first.
  const target: Named = { name: profile, section: lookup(profile) };
  const roles: Named[] = [];
  const visited = [profile];
  let cur = target;
  let source: SourceStep;
  for (;;) {
    const roleArn = profileValue(cur.section, 'role_arn');
    if (roleArn === undefined) {
      source = sourceOf(config, cur, ctx, warnings);
      break;
    }
    checkRoleProfile(config, cur, roleArn);
    roles.push(cur);
    if (profileValue(cur.section, 'credential_source') !== undefined) {
      source = { kind: 'environment', profile: cur.name };
      break;
    }
    const next = profileValue(cur.section, 'source_profile')!;
    if (next === cur.name) {
      source = sourceOf(config, cur, ctx, warnings, true);
      break;
    }
    if (visited.includes(next)) {
      const chain = [...visited, next];
      throw new RolehopError(ErrorCodes.PROFILE_CYCLE, `Profiles in ${config.path} form a source_profile cycle: ${chain.join(' -> ')}`, {
        hint: 'Point one of these source_profile keys at a profile with a stored key (rolehop add NAME), or at the profile itself to use its own stored key.',
        details: { chain },
      });
    }
    visited.push(next);
    cur = { name: next, section: lookup(next, cur.name) };
  }
  roles.reverse();

  // Source-first list of distinct profiles: where MFA settings are looked up.
  const chain: Named[] = [];
  const sourceNamed = cur; // the loop always ends on the source's profile
  for (const n of [sourceNamed, ...roles]) if (!chain.some((c) => c.name === n.name)) chain.push(n);
  for (const n of chain) {
    const serial = profileValue(n.section, 'mfa_serial');
    if (serial !== undefined) checkMfaSerial(n.name, config.path, serial);
  }
  const mfaFrom = chain.find((n) => profileValue(n.section, 'mfa_serial') !== undefined);
  const mfa = mfaFrom && {
    mfaSerial: profileValue(mfaFrom.section, 'mfa_serial')!,
    ...(profileValue(mfaFrom.section, 'mfa_process') !== undefined ? { mfaProcess: profileValue(mfaFrom.section, 'mfa_process')! } : {}),
  };
  if (mfa) {
    for (const n of chain) {
      const other = profileValue(n.section, 'mfa_serial');
      if (other !== undefined && other !== mfa.mfaSerial) {
        warnings.push(`Profile "${n.name}": mfa_serial ${other} is not used; rolehop asks once, for ${mfa.mfaSerial} (from profile "${mfaFrom!.name}").`);
      }
    }
  }

  if (opts.durationSeconds !== undefined) {
    const range = roles.length ? ROLE_DURATION_RANGE : SESSION_DURATION_RANGE;
    if (!Number.isSafeInteger(opts.durationSeconds) || opts.durationSeconds < range.min || opts.durationSeconds > range.max) {
      throw new RolehopError(ErrorCodes.USAGE, `Duration ${opts.durationSeconds}s is out of range`, {
        hint: `Give a whole number of seconds from ${range.min} to ${range.max}.`,
      });
    }
  }
  const requested = (i: number): number | undefined => {
    if (i === roles.length - 1 && opts.durationSeconds !== undefined) return opts.durationSeconds;
    const v = profileValue(roles[i]!.section, 'duration_seconds');
    return v === undefined ? undefined : parseDuration(roles[i]!.name, config.path, 'duration_seconds', v, ROLE_DURATION_RANGE);
  };
  const sessionDuration = (): number => {
    const v = profileValue(sourceNamed.section, 'session_duration');
    return v === undefined ? DEFAULT_SESSION_SECONDS : parseDuration(sourceNamed.name, config.path, 'session_duration', v, SESSION_DURATION_RANGE);
  };

  let session: SessionStep | undefined;
  let firstHopMfa = false;
  let firstHopChained = false;
  if (source.kind === 'stored-key') {
    if (roles.length === 0) {
      if (!opts.noSession) session = { profile: source.profile, ...mfa, durationSeconds: opts.durationSeconds ?? sessionDuration() };
    } else if (mfa && !opts.noSession && (requested(0) ?? ROLE_CHAIN_MAX_SECONDS) <= ROLE_CHAIN_MAX_SECONDS) {
      session = { profile: source.profile, ...mfa, durationSeconds: sessionDuration() };
      firstHopChained = true;
    } else {
      firstHopMfa = !!mfa;
    }
  } else {
    firstHopMfa = !!mfa;
  }

  const hops: HopStep[] = roles.map((r, i) => {
    const roleSessionName = profileValue(r.section, 'role_session_name') ?? defaultRoleSessionName(ctx.userName);
    const externalId = profileValue(r.section, 'external_id');
    let durationSeconds = requested(i) ?? ROLE_CHAIN_MAX_SECONDS;
    if ((i > 0 || firstHopChained) && durationSeconds > ROLE_CHAIN_MAX_SECONDS) {
      warnings.push(
        `Profile "${r.name}": duration ${durationSeconds}s capped to ${ROLE_CHAIN_MAX_SECONDS}s, because AWS limits a role assumed with temporary credentials (role chaining) to 1 hour.`,
      );
      durationSeconds = ROLE_CHAIN_MAX_SECONDS;
    }
    return {
      profile: r.name,
      roleArn: profileValue(r.section, 'role_arn')!,
      roleSessionName,
      ...(externalId !== undefined ? { externalId } : {}),
      durationSeconds,
      ...(i === 0 && firstHopMfa ? mfa : {}),
    };
  });

  if (mfa && !session?.mfaSerial && !hops[0]?.mfaSerial) {
    warnings.push(`Profile "${mfaFrom!.name}": mfa_serial is not used${opts.noSession ? ' with --no-session' : ''}: no STS call of this plan can send it.`);
  }

  const region = opts.region ?? [...chain].reverse().map((n) => profileValue(n.section, 'region')).find((r) => r !== undefined) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);

  return {
    profile,
    ...(region !== undefined ? { region } : {}),
    source,
    ...(session ? { session } : {}),
    hops,
    endpoints: resolveEndpoints(config, profile, target.section, env),
    warnings,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function notFound(config: AwsConfig, name: string, referencedBy: string | undefined): RolehopError {
  const near = closeNames(name, config.profiles.keys());
  const where = referencedBy ? ` (source_profile of "${referencedBy}")` : '';
  const hint = near.length
    ? `Did you mean ${near.map((n) => `"${n}"`).join(', ')}? \`rolehop list\` shows all profiles.`
    : `Add [profile ${name}] to ${config.path}, or store a key for it with \`rolehop add ${name}\`.`;
  return new RolehopError(ErrorCodes.PROFILE_NOT_FOUND, `Profile "${name}"${where} not found in ${config.path}`, {
    hint,
    details: { profile: name, suggestions: near },
  });
}

/** Validates the AssumeRole settings of a profile with `role_arn`. */
function checkRoleProfile(config: AwsConfig, p: Named, roleArn: string): void {
  if (profileValue(p.section, 'web_identity_token_file') !== undefined) {
    throw invalid(config, p.name, 'web identity profiles (web_identity_token_file) are not supported', `Use a profile with credential_process, e.g. one running \`aws configure export-credentials --profile ${p.name} --format process\`.`);
  }
  checkRoleArn(p.name, config.path, roleArn);
  const sp = profileValue(p.section, 'source_profile');
  const cs = profileValue(p.section, 'credential_source');
  if (sp !== undefined && cs !== undefined) {
    throw invalid(config, p.name, 'has both source_profile and credential_source', 'Keep exactly one of them.');
  }
  if (sp === undefined && cs === undefined) {
    throw invalid(
      config,
      p.name,
      'has role_arn but neither source_profile nor credential_source',
      `Add "source_profile = OTHER" (a profile with a stored key), "source_profile = ${p.name}" to use this profile's own stored key, or "credential_source = Environment".`,
    );
  }
  if (cs !== undefined) checkCredentialSource(config, p.name, cs);
  const rsn = profileValue(p.section, 'role_session_name');
  if (rsn !== undefined) checkRoleSessionName(p.name, config.path, rsn);
  const ext = profileValue(p.section, 'external_id');
  if (ext !== undefined) checkExternalId(p.name, config.path, ext);
  const d = profileValue(p.section, 'duration_seconds');
  if (d !== undefined) parseDuration(p.name, config.path, 'duration_seconds', d, ROLE_DURATION_RANGE);
}

function checkCredentialSource(config: AwsConfig, profile: string, value: string): void {
  if (value === 'Environment') return;
  if (UNSUPPORTED_CREDENTIAL_SOURCES.has(value)) {
    throw invalid(config, profile, `credential_source = ${value} is not supported by rolehop`, 'Use credential_source = Environment, or source_profile naming a profile with a stored key or credential_process.');
  }
  throw invalid(config, profile, `credential_source "${value}" is not one of Environment, Ec2InstanceMetadata, EcsContainer`, 'Write credential_source = Environment (case matters).');
}

/** The credentials at the root of a chain. `self` marks a self-referencing role profile. */
function sourceOf(config: AwsConfig, p: Named, ctx: PlanContext, warnings: string[], self = false): SourceStep {
  const { name, section } = p;
  const hasPlainKeys = profileValue(section, 'aws_access_key_id') !== undefined || profileValue(section, 'aws_secret_access_key') !== undefined;
  if (!self) {
    const cs = profileValue(section, 'credential_source');
    if (cs !== undefined) {
      // SDK v3 accepts credential_source without role_arn and uses those credentials directly.
      checkCredentialSource(config, name, cs);
      return { kind: 'environment', profile: name };
    }
    if (profileValue(section, 'source_profile') !== undefined) {
      warnings.push(`Profile "${name}": source_profile is ignored because the profile has no role_arn.`);
    }
  }
  const command = profileValue(section, 'credential_process');
  if (command !== undefined) return { kind: 'process', profile: name, command };
  if (ctx.hasStoredKey(name)) {
    if (hasPlainKeys) {
      warnings.push(`Profile "${name}": the access key in ${config.path} is ignored; rolehop uses the key in its vault. Delete the key lines from the file.`);
    }
    return { kind: 'stored-key', profile: name };
  }
  if (hasPlainKeys) {
    throw invalid(
      config,
      name,
      'holds a plain-text access key, which rolehop does not use',
      `Move it into the vault: run \`rolehop add ${name} --env\` with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set, then delete the key lines from ${config.path}.`,
    );
  }
  if (SSO_KEYS.some((k) => profileValue(section, k) !== undefined)) {
    throw invalid(
      config,
      name,
      'is an IAM Identity Center (SSO) profile, which rolehop does not resolve itself',
      `Use it through another profile with "credential_process = aws configure export-credentials --profile ${name} --format process".`,
    );
  }
  throw new RolehopError(ErrorCodes.NO_STORED_KEY, `Profile "${name}" has no stored key and no credential_process`, {
    hint: `Store its IAM user key with \`rolehop add ${name}\`.`,
    details: { profile: name },
  });
}
