/**
 * The first half of plan resolution: the walk along `source_profile` from a
 * target profile to the profile whose credentials start the chain, checking
 * every role profile on the way and deciding what the source is. Pure.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import type { AwsConfig, ProfileSection } from './aws-config.js';
import { closeNames, didYouMeanProfile } from './close-names.js';
import { containerSource } from './container-source.js';
import { ignoredKeyWarnings } from './ignored-keys.js';
import { imdsSource } from './imds-source.js';
import { quotedName } from './profile-name.js';
import { ssoSource } from './sso-source.js';
import { isSsoProfile } from './sso-settings.js';
import type { SourceStep } from './plan.js';
import { checkExternalId, checkRoleArn, checkRoleSessionName, parseDuration, profileValue, ROLE_DURATION_RANGE } from './profile-values.js';
import { isWebIdentityProfile, webIdentityFromProfile } from './web-identity-source.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What `resolvePlan` needs to know beyond the config file. */
export interface PlanContext {
  /** Local user name, for the default `role_session_name`. */
  userName: string;
  /** True when the vault holds a long-lived key for `profile`. */
  hasStoredKey(profile: string): boolean;
  /**
   * Let the implicit `default` profile fall back to IMDS too (see
   * `ambient-source.ts`): the library does, like the SDK default chain; the
   * CLI does not, so a laptop never waits for a metadata timeout.
   */
  ambientImds?: boolean;
}

/** A profile name with its section (`{}` for a vault-only profile). */
export interface Named {
  name: string;
  section: ProfileSection;
}

/** The outcome of {@link walkChain}. */
export interface ProfileChain {
  /** The profile asked for. */
  target: Named;
  /** The profiles with `role_arn`, source first: one AssumeRole each. */
  roles: Named[];
  /** The profile the walk ended on: where the source's credentials and the session settings are read. */
  sourceProfile: Named;
  source: SourceStep;
}

/** Keys of an IAM Identity Center (SSO) profile (`list` shows such a profile as `sso`). */
export const SSO_KEYS = ['sso_session', 'sso_account_id', 'sso_role_name', 'sso_start_url'];
const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'];

function invalid(config: AwsConfig, profile: string, message: string, hint: string): RolehopError {
  return new RolehopError(ErrorCodes.PROFILE_INVALID, `Profile "${profile}" in ${config.path}: ${message}`, { hint, details: { profile } });
}

/**
 * Walks from `profile` to the source of its chain (rules in `resolvePlan`'s
 * doc comment), pushing warnings about ignored settings onto `warnings`.
 *
 * Errors: ERR_PROFILE_NOT_FOUND (with close names), ERR_PROFILE_CYCLE (with
 * the chain), ERR_PROFILE_INVALID, ERR_NO_STORED_KEY.
 */
export function walkChain(config: AwsConfig, profile: string, ctx: PlanContext, warnings: string[], env: Env = {}): ProfileChain {
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
    warnings.push(...ignoredKeyWarnings(cur));
    const roleArn = profileValue(cur.section, 'role_arn');
    if (roleArn === undefined || isWebIdentityProfile(cur.section)) {
      source = sourceOf(config, cur, ctx, warnings, env);
      break;
    }
    const own = cur === target ? undefined : ownCredentials(cur, ctx, visited.at(-2)!, warnings);
    if (own) {
      source = own;
      break;
    }
    checkRoleProfile(config, cur, roleArn);
    roles.push(cur);
    const cs = profileValue(cur.section, 'credential_source');
    if (cs !== undefined) {
      source = credentialSourceStep(cur, cs, env);
      break;
    }
    const next = profileValue(cur.section, 'source_profile')!;
    if (next === cur.name) {
      source = sourceOf(config, cur, ctx, warnings, env, true);
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
  // The loop always ends on the source's profile.
  return { target, roles, sourceProfile: cur, source };
}

/**
 * The credentials of a profile reached through `source_profile` that has a
 * `role_arn` but also credentials of its own, which then end the chain, as
 * in the AWS SDKs: a stored key (the SDKs' static keys, which win on every
 * hop after the first), or a `credential_process` when the profile has no
 * `source_profile` or `credential_source` to assume its role with (SDK v3
 * reads such a profile as a process profile). Undefined otherwise: the
 * role is assumed. The ignored `role_arn` is named in a warning.
 */
function ownCredentials(p: Named, ctx: PlanContext, referencedBy: string, warnings: string[]): SourceStep | undefined {
  const ignored = (what: string) =>
    warnings.push(
      `Profile "${p.name}": its role_arn is not assumed: as the source_profile of "${referencedBy}" it has ${what}, which starts the chain, as in the AWS CLI and SDKs.`,
    );
  if (ctx.hasStoredKey(p.name)) {
    ignored('a stored key of its own');
    return { kind: 'stored-key', profile: p.name };
  }
  const command = profileValue(p.section, 'credential_process');
  if (command !== undefined && profileValue(p.section, 'source_profile') === undefined && profileValue(p.section, 'credential_source') === undefined) {
    ignored('a credential_process and no source_profile or credential_source');
    return { kind: 'process', profile: p.name, command };
  }
  return undefined;
}

function notFound(config: AwsConfig, name: string, referencedBy: string | undefined): RolehopError {
  const near = closeNames(name, config.profiles.keys());
  const where = referencedBy ? ` (source_profile of "${referencedBy}")` : '';
  const hint = near.length ? didYouMeanProfile(near) : `Add [profile ${name}] to ${config.path}, or store a key for it with \`rolehop add ${name}\`.`;
  return new RolehopError(ErrorCodes.PROFILE_NOT_FOUND, `Profile "${name}"${where} not found in ${config.path}`, {
    hint,
    details: { profile: name, suggestions: near },
  });
}

/** Validates the AssumeRole settings of a profile with `role_arn`. */
function checkRoleProfile(config: AwsConfig, p: Named, roleArn: string): void {
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
      `Add "source_profile = OTHER" (a profile with a stored key), "source_profile = ${p.name}" to use this profile's own stored key, "credential_source = Environment" (or Ec2InstanceMetadata, EcsContainer), or web_identity_token_file.`,
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
  if (CREDENTIAL_SOURCES.includes(value)) return;
  throw invalid(
    config,
    profile,
    `credential_source "${value}" is not one of ${CREDENTIAL_SOURCES.join(', ')}`,
    `Write one of ${CREDENTIAL_SOURCES.join(', ')} exactly (case matters).`,
  );
}

/** The source a (checked) `credential_source` value stands for; the container endpoint and IMDS are read from `env`. */
function credentialSourceStep(p: Named, value: string, env: Env): SourceStep {
  if (value === 'EcsContainer') return containerSource(p.name, env);
  if (value === 'Ec2InstanceMetadata') return imdsSource(p.name, p.section, env);
  return { kind: 'environment', profile: p.name };
}

/** The credentials at the root of a chain. `self` marks a self-referencing role profile. */
function sourceOf(config: AwsConfig, p: Named, ctx: PlanContext, warnings: string[], env: Env, self = false): SourceStep {
  const { name, section } = p;
  if (isWebIdentityProfile(section)) {
    // As in botocore and the SDK v3, the token file makes the profile a web identity source: its role is assumed with the token, not a hop.
    for (const k of ['source_profile', 'credential_source', 'credential_process']) {
      if (profileValue(section, k) !== undefined) warnings.push(`Profile "${name}": ${k} is ignored because the profile has web_identity_token_file.`);
    }
    return webIdentityFromProfile(name, section, config.path, ctx.userName);
  }
  const hasPlainKeys = profileValue(section, 'aws_access_key_id') !== undefined || profileValue(section, 'aws_secret_access_key') !== undefined;
  if (!self) {
    const cs = profileValue(section, 'credential_source');
    if (cs !== undefined) {
      // SDK v3 accepts credential_source without role_arn and uses those credentials directly.
      checkCredentialSource(config, name, cs);
      return credentialSourceStep(p, cs, env);
    }
  }
  // Said in the warning on success and in every error below, which would otherwise not explain why the source was not used.
  const skippedSource = !self && profileValue(section, 'source_profile') !== undefined ? ` (its source_profile is ignored: the profile has no role_arn)` : '';
  if (skippedSource) warnings.push(`Profile "${name}": source_profile is ignored because the profile has no role_arn.`);
  const skippedHint = skippedSource ? ` Or add role_arn to assume a role from source_profile ${quotedName(profileValue(section, 'source_profile')!)}.` : '';
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
      `holds a plain-text access key, which rolehop does not use${skippedSource}`,
      `Move it into the vault: run \`rolehop add ${name} --env\` with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set, then delete the key lines from ${config.path}.${skippedHint}`,
    );
  }
  if (isSsoProfile(section)) return ssoSource(config, name);
  if (SSO_KEYS.some((k) => profileValue(section, k) !== undefined)) {
    throw invalid(
      config,
      name,
      `has IAM Identity Center settings but neither sso_session nor sso_start_url${skippedSource}`,
      `Add sso_session = NAME (with an [sso-session NAME] section holding sso_start_url and sso_region), or sso_start_url and sso_region in the profile.${skippedHint}`,
    );
  }
  throw new RolehopError(ErrorCodes.NO_STORED_KEY, `Profile "${name}" has no stored key and no credential_process${skippedSource}`, {
    hint: `Store its IAM user key with \`rolehop add ${name}\`.${skippedHint}`,
    details: { profile: name },
  });
}
