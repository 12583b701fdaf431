import type { AwsConfig, ProfileSection } from './aws-config.js';
import { chainRegions } from './chain-region.js';
import { SSO_KEYS } from './profile-chain.js';
import { profileValue } from './profile-values.js';

/**
 * How a profile gets its credentials, as `rolehop list` shows it. `sso`
 * (IAM Identity Center) profiles are listed but not supported by the other
 * commands yet.
 */
export type ProfileKind = 'role' | 'sso' | 'key' | 'process' | 'environment';

/** One line of `rolehop list`. */
export interface ProfileSummary {
  name: string;
  /**
   * In the order `resolvePlan` decides: `role` (has role_arn), `environment`
   * (credential_source without role_arn), `process` (credential_process),
   * `sso` (any sso_* key: sso_session, sso_start_url, ...), else `key` (a
   * vault key).
   */
  kind: ProfileKind;
  roleArn?: string;
  /** The role's account: from role_arn, or sso_account_id. */
  accountId?: string;
  /** The role's name with its path (`team/Deploy`): from role_arn, or sso_role_name. */
  roleName?: string;
  sourceProfile?: string;
  /** The profile's own `region` key. */
  region?: string;
  /** The region from the config that commands use for this profile: its own, or inherited along source_profile. */
  effectiveRegion?: string;
  /** Set when `effectiveRegion` is inherited: the profile it comes from. */
  regionFrom?: string;
  mfaSerial?: string;
}

const ROLE_ARN = /^arn:[^:]+:iam::(\d{12}):role\/(.+)$/;

function kindOf(p: ProfileSection): ProfileKind {
  if (profileValue(p, 'role_arn')) return 'role';
  if (profileValue(p, 'credential_source')) return 'environment';
  if (profileValue(p, 'credential_process')) return 'process';
  if (SSO_KEYS.some((k) => profileValue(p, k))) return 'sso';
  return 'key';
}

function accountAndRole(p: ProfileSection, roleArn: string | undefined): { accountId?: string; roleName?: string } {
  const m = roleArn ? ROLE_ARN.exec(roleArn) : null;
  const accountId = m ? m[1] : roleArn ? undefined : profileValue(p, 'sso_account_id');
  const roleName = m ? m[2] : roleArn ? undefined : profileValue(p, 'sso_role_name');
  return { ...(accountId ? { accountId } : {}), ...(roleName ? { roleName } : {}) };
}

/** The config's profiles sorted by name, with their kind. Pure, linear in the profiles; does not validate (resolvePlan does). */
export function listProfiles(config: AwsConfig): ProfileSummary[] {
  const regions = chainRegions(config);
  return [...config.profiles.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, p]) => {
      const roleArn = profileValue(p, 'role_arn');
      const sourceProfile = profileValue(p, 'source_profile');
      const region = profileValue(p, 'region');
      const mfaSerial = profileValue(p, 'mfa_serial');
      const chain = regions.get(name);
      return {
        name,
        kind: kindOf(p),
        ...(roleArn ? { roleArn } : {}),
        ...accountAndRole(p, roleArn),
        ...(sourceProfile ? { sourceProfile } : {}),
        ...(region ? { region } : {}),
        ...(chain ? { effectiveRegion: chain.region } : {}),
        ...(chain && chain.from !== name ? { regionFrom: chain.from } : {}),
        ...(mfaSerial ? { mfaSerial } : {}),
      };
    });
}
