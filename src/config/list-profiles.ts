import type { AwsConfig } from './aws-config.js';
import { profileValue } from './profile-values.js';

/** How a profile gets its credentials, as `rolehop list` shows it. */
export type ProfileKind = 'role' | 'key' | 'process' | 'environment';

/** One line of `rolehop list`. */
export interface ProfileSummary {
  name: string;
  /** `role` (has role_arn), `process` (credential_process), `environment` (credential_source without role_arn), else `key` (a vault key). */
  kind: ProfileKind;
  roleArn?: string;
  sourceProfile?: string;
  region?: string;
  mfaSerial?: string;
}

/** The config's profiles sorted by name, with their kind. Pure; does not validate (resolvePlan does). */
export function listProfiles(config: AwsConfig): ProfileSummary[] {
  return [...config.profiles.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, p]) => {
      const roleArn = profileValue(p, 'role_arn');
      const sourceProfile = profileValue(p, 'source_profile');
      const region = profileValue(p, 'region');
      const mfaSerial = profileValue(p, 'mfa_serial');
      const kind: ProfileKind = roleArn
        ? 'role'
        : profileValue(p, 'credential_process')
          ? 'process'
          : profileValue(p, 'credential_source')
            ? 'environment'
            : 'key';
      return {
        name,
        kind,
        ...(roleArn ? { roleArn } : {}),
        ...(sourceProfile ? { sourceProfile } : {}),
        ...(region ? { region } : {}),
        ...(mfaSerial ? { mfaSerial } : {}),
      };
    });
}
