/**
 * AssumeRoleWithWebIdentity (OIDC: GitHub Actions, GitLab, EKS IRSA) as a
 * plan source, from a profile or from the environment. Pure: the token file
 * is only named here and read by the broker on every call.
 */
import type { ProfileSection } from './aws-config.js';
import type { SourceStep } from './plan.js';
import { checkRoleArn, checkRoleSessionName, parseDuration, profileValue, ROLE_DURATION_RANGE } from './profile-values.js';
import { defaultRoleSessionName } from './session-name.js';

type Env = Readonly<Record<string, string | undefined>>;
type WebIdentity = Extract<SourceStep, { kind: 'web-identity' }>;

/** The default `DurationSeconds`, as the SDK v3 sends it. */
const DEFAULT_WEB_IDENTITY_SECONDS = 3600;

/** True when a profile is a web identity profile: such a profile is a source, not an AssumeRole hop. */
export function isWebIdentityProfile(section: ProfileSection): boolean {
  return profileValue(section, 'web_identity_token_file') !== undefined;
}

/**
 * The web identity source of a profile with `web_identity_token_file`:
 * `role_arn` is required; `role_session_name` defaults to
 * `defaultRoleSessionName(userName)` (stable, so cache keys are) and
 * `duration_seconds` to 3600.
 *
 * Errors: ERR_PROFILE_INVALID for a missing or malformed `role_arn`, a bad
 * session name or duration.
 */
export function webIdentityFromProfile(profile: string, section: ProfileSection, configPath: string, userName: string): WebIdentity {
  const roleArn = profileValue(section, 'role_arn') ?? '';
  checkRoleArn(profile, configPath, roleArn);
  const rsn = profileValue(section, 'role_session_name');
  if (rsn !== undefined) checkRoleSessionName(profile, configPath, rsn);
  const d = profileValue(section, 'duration_seconds');
  return {
    kind: 'web-identity',
    profile,
    roleArn,
    roleSessionName: rsn ?? defaultRoleSessionName(userName),
    tokenFile: profileValue(section, 'web_identity_token_file')!,
    durationSeconds: d === undefined ? DEFAULT_WEB_IDENTITY_SECONDS : parseDuration(profile, configPath, 'duration_seconds', d, ROLE_DURATION_RANGE),
  };
}

/** True when the environment form is complete: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (both SDKs need both). */
export function hasWebIdentityVariables(env: Env): boolean {
  return !!env.AWS_WEB_IDENTITY_TOKEN_FILE && !!env.AWS_ROLE_ARN;
}

/**
 * The environment form: `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
 * `AWS_ROLE_SESSION_NAME`, checked like the profile keys (the variables'
 * names stand for the file in messages).
 */
export function webIdentityFromEnv(profile: string, env: Env, userName: string): WebIdentity {
  const where = 'the environment';
  const roleArn = env.AWS_ROLE_ARN ?? '';
  checkRoleArn(profile, where, roleArn);
  const rsn = env.AWS_ROLE_SESSION_NAME || undefined;
  if (rsn !== undefined) checkRoleSessionName(profile, where, rsn);
  return {
    kind: 'web-identity',
    profile,
    roleArn,
    roleSessionName: rsn ?? defaultRoleSessionName(userName),
    tokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE!,
    durationSeconds: DEFAULT_WEB_IDENTITY_SECONDS,
  };
}
