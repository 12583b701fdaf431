/**
 * The source step of an IAM Identity Center profile: the session (from its
 * `[sso-session]` or the legacy keys) and the account and role it signs in
 * to. Pure.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import type { AwsConfig } from './aws-config.js';
import type { SourceStep } from './plan.js';
import { ssoProfile } from './sso-settings.js';

/**
 * The `sso` source of `profile`, which must be an SSO profile (see
 * `isSsoProfile`) naming both `sso_account_id` and `sso_role_name`.
 * ERR_PROFILE_INVALID naming what is missing otherwise; the session errors
 * of `ssoProfile` (unknown sso-session, bad start URL or region) pass through.
 */
export function ssoSource(config: AwsConfig, profile: string): Extract<SourceStep, { kind: 'sso' }> {
  const sso = ssoProfile(config, config.ssoSessions ?? new Map(), profile);
  const missing = [sso.accountId === undefined && 'sso_account_id', sso.roleName === undefined && 'sso_role_name'].filter(Boolean);
  if (sso.accountId === undefined || sso.roleName === undefined) {
    throw new RolehopError(
      ErrorCodes.PROFILE_INVALID,
      `Profile "${profile}" in ${config.path} signs in with IAM Identity Center but has no ${missing.join(' or ')}`,
      {
        hint: `Add sso_account_id = ACCOUNT and sso_role_name = ROLE (the permission set) to [profile ${profile}]. \`rolehop sso login\` signs in to the session alone.`,
        details: { profile },
      },
    );
  }
  return { kind: 'sso', profile, session: sso.session, accountId: sso.accountId, roleName: sso.roleName };
}
