/**
 * IAM Identity Center settings read from the AWS config: the
 * `[sso-session NAME]` form (`sso_start_url`, `sso_region`,
 * `sso_registration_scopes`) and the legacy form with `sso_start_url` and
 * `sso_region` in the profile itself. Pure: the sections come in, a
 * validated {@link SsoSession} or a RolehopError naming file and section
 * comes out.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import type { AwsConfig, ProfileSection } from './aws-config.js';
import type { IniSection } from './parse-ini.js';
import { profileValue } from './profile-values.js';

/** The scope without which IAM Identity Center issues no refresh token. */
export const SSO_ACCESS_SCOPE = 'sso:account:access';

/** One Identity Center login: everything needed to obtain and refresh its token. */
export interface SsoSession {
  /**
   * What the token is kept under: the sso-session name, or for a legacy
   * profile its start URL exactly as written (as the AWS CLI names them).
   */
  name: string;
  /** True for the legacy form (start URL in the profile). */
  legacy: boolean;
  startUrl: string;
  /** Region of the Identity Center instance: the OIDC and portal calls go there. */
  region: string;
  /** Scopes asked for at client registration; always includes {@link SSO_ACCESS_SCOPE}. */
  scopes: string[];
  /** Where the settings were read, for messages: `[sso-session corp] in ~/.aws/config`. */
  origin: string;
}

/** The account and role an SSO profile signs in to. */
export interface SsoProfile {
  session: SsoSession;
  /** `sso_account_id`, when the profile names one. */
  accountId?: string;
  /** `sso_role_name`, when the profile names one. */
  roleName?: string;
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;

/** The `[sso-session NAME]` sections of a parsed config file, by name. */
export function ssoSessionSections(sections: readonly IniSection[]): Map<string, ProfileSection> {
  const out = new Map<string, ProfileSection>();
  for (const s of sections) if (s.kind === 'sso-session') out.set(s.name, s.entries);
  return out;
}

function invalid(message: string, hint: string, details: Record<string, unknown>): RolehopError {
  return new RolehopError(ErrorCodes.PROFILE_INVALID, message, { hint, details });
}

function checked(entries: ProfileSection, origin: string, where: Record<string, unknown>): { startUrl: string; region: string } {
  const startUrl = profileValue(entries, 'sso_start_url');
  const region = profileValue(entries, 'sso_region');
  if (!startUrl) throw invalid(`${origin} has no sso_start_url`, 'Add sso_start_url = https://<your-id>.awsapps.com/start (the AWS access portal URL).', where);
  let https = false;
  try {
    https = new URL(startUrl).protocol === 'https:';
  } catch {
    https = false;
  }
  if (!https)
    throw invalid(
      `${origin}: sso_start_url "${startUrl}" is not an https URL`,
      'Copy the AWS access portal URL, e.g. https://d-1234567890.awsapps.com/start.',
      where,
    );
  if (!region) throw invalid(`${origin} has no sso_region`, 'Add sso_region = the region of your IAM Identity Center instance, e.g. us-east-1.', where);
  if (!REGION.test(region)) throw invalid(`${origin}: sso_region "${region}" is not a region name`, 'Write a region such as us-east-1 or eu-west-1.', where);
  return { startUrl, region };
}

/** `sso_registration_scopes` (comma separated), with {@link SSO_ACCESS_SCOPE} always added so a refresh token comes back. */
function scopesOf(entries: ProfileSection): string[] {
  const listed = (profileValue(entries, 'sso_registration_scopes') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set([SSO_ACCESS_SCOPE, ...listed])];
}

/**
 * The `[sso-session NAME]` of `sessions`, validated. ERR_PROFILE_NOT_FOUND
 * when there is no such section (listing those there are), ERR_PROFILE_INVALID
 * when `sso_start_url` or `sso_region` is missing or malformed.
 */
export function resolveSsoSession(sessions: ReadonlyMap<string, ProfileSection>, name: string, configPath: string): SsoSession {
  const entries = sessions.get(name);
  if (!entries) {
    const known = [...sessions.keys()];
    throw new RolehopError(ErrorCodes.PROFILE_NOT_FOUND, `There is no [sso-session ${name}] section in ${configPath}`, {
      hint: known.length ? `Known sso-sessions: ${known.join(', ')}.` : 'Add one with sso_start_url and sso_region (`aws configure sso-session` writes it).',
      details: { session: name, file: configPath },
    });
  }
  const origin = `[sso-session ${name}] in ${configPath}`;
  return { name, legacy: false, ...checked(entries, origin, { session: name, file: configPath }), scopes: scopesOf(entries), origin };
}

/** Whether a profile signs in through IAM Identity Center (either form). */
export function isSsoProfile(section: ProfileSection): boolean {
  return profileValue(section, 'sso_session') !== undefined || profileValue(section, 'sso_start_url') !== undefined;
}

/**
 * The Identity Center settings of profile `profile`: its `sso_session`'s
 * section, or the legacy keys in the profile (both forms at once must agree
 * on start URL and region, as the SDKs require). `sso_account_id` and
 * `sso_role_name` are returned when present (12 digits checked).
 * ERR_PROFILE_NOT_FOUND for an unknown profile or sso_session,
 * ERR_PROFILE_INVALID for a profile that is not an SSO profile or has bad values.
 */
export function ssoProfile(config: AwsConfig, sessions: ReadonlyMap<string, ProfileSection>, profile: string): SsoProfile {
  const section = config.profiles.get(profile);
  const where = { profile, file: config.path };
  if (!section) {
    throw new RolehopError(ErrorCodes.PROFILE_NOT_FOUND, `Profile "${profile}" is not in ${config.path}`, {
      hint: 'Run `rolehop list` to see the profiles.',
      details: where,
    });
  }
  const origin = `Profile "${profile}" in ${config.path}`;
  const sessionName = profileValue(section, 'sso_session');
  let session: SsoSession;
  if (sessionName !== undefined) {
    session = resolveSsoSession(sessions, sessionName, config.path);
    const legacyUrl = profileValue(section, 'sso_start_url');
    const legacyRegion = profileValue(section, 'sso_region');
    if ((legacyUrl && legacyUrl !== session.startUrl) || (legacyRegion && legacyRegion !== session.region)) {
      throw invalid(
        `${origin} sets sso_start_url or sso_region that differ from its sso_session "${sessionName}"`,
        `Remove sso_start_url and sso_region from the profile; [sso-session ${sessionName}] holds them.`,
        where,
      );
    }
  } else if (profileValue(section, 'sso_start_url') !== undefined) {
    const { startUrl, region } = checked(section, origin, where);
    session = { name: startUrl, legacy: true, startUrl, region, scopes: [SSO_ACCESS_SCOPE], origin };
  } else {
    throw invalid(
      `${origin} is not an IAM Identity Center profile`,
      'Give it sso_session = NAME (with an [sso-session NAME] section), or sso_start_url and sso_region.',
      where,
    );
  }
  const accountId = profileValue(section, 'sso_account_id');
  if (accountId !== undefined && !ACCOUNT.test(accountId))
    throw invalid(`${origin}: sso_account_id "${accountId}" is not a 12-digit account id`, 'Write the 12-digit account id.', where);
  const roleName = profileValue(section, 'sso_role_name');
  return { session, ...(accountId ? { accountId } : {}), ...(roleName ? { roleName } : {}) };
}

/** Where the Identity Center calls of a session go. */
export interface SsoEndpoints {
  /** OIDC (client registration, device authorization, token, authorize page). */
  oidc: string;
  /** The access portal API (accounts, roles, role credentials, logout). */
  portal: string;
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * Endpoints for `region`, first match as the SDKs resolve them:
 * `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL_SSO`, then
 * `AWS_ENDPOINT_URL`, else the region's public endpoints
 * (`oidc.<region>.amazonaws.com`, `portal.sso.<region>.amazonaws.com`;
 * `.com.cn` in China). `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` keeps the
 * public ones. A trailing slash is dropped. Pure.
 */
export function ssoEndpoints(env: Readonly<Record<string, string | undefined>>, region: string): SsoEndpoints {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const ignore = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true';
  const pick = (name: string, fallback: string) => {
    const v = ignore ? undefined : (nonEmpty(env[name]) ?? nonEmpty(env.AWS_ENDPOINT_URL));
    return (v ?? fallback).replace(/\/+$/, '');
  };
  return {
    oidc: pick('AWS_ENDPOINT_URL_SSO_OIDC', `https://oidc.${region}.${suffix}`),
    portal: pick('AWS_ENDPOINT_URL_SSO', `https://portal.sso.${region}.${suffix}`),
  };
}
