/**
 * Checks of single profile values against the limits STS enforces
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html,
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html;
 * summed up in docs/aws-behaviour.md, "STS limits"), so a typo fails before any network call
 * with the profile and key to fix.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import type { ProfileSection } from './aws-config.js';

/** `arn:<partition>:iam::<12 digits>:role/<optional path/>name`. */
export const ROLE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
/** MFA device ARN or hardware serial (`SerialNumber`). */
export const MFA_SERIAL_PATTERN = /^[\w+=/:,.@-]{9,256}$/;
/** `RoleSessionName`. */
export const ROLE_SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
/** `ExternalId`. */
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;

/** AssumeRole `DurationSeconds` bounds (the role's MaxSessionDuration may be lower). */
export const ROLE_DURATION_RANGE = { min: 900, max: 43_200 } as const;
/** GetSessionToken `DurationSeconds` bounds for an IAM user. */
export const SESSION_DURATION_RANGE = { min: 900, max: 129_600 } as const;

/**
 * A key's value, or undefined when absent or empty. Empty counts as absent,
 * as in botocore's truthiness checks. Own properties only: a profile key
 * must never resolve to something inherited from `Object.prototype`.
 */
export function profileValue(section: ProfileSection, key: string): string | undefined {
  if (!Object.hasOwn(section, key)) return undefined;
  const v = section[key];
  return v === undefined || v === '' ? undefined : v;
}

function invalid(profile: string, configPath: string, message: string, hint: string): RolehopError {
  return new RolehopError(ErrorCodes.PROFILE_INVALID, `Profile "${profile}" in ${configPath}: ${message}`, { hint, details: { profile } });
}

/** Throws ERR_PROFILE_INVALID unless `value` is a well-formed IAM role ARN. */
export function checkRoleArn(profile: string, configPath: string, value: string): void {
  if (!ROLE_ARN_PATTERN.test(value) || value.length > 2048) {
    throw invalid(
      profile,
      configPath,
      `role_arn "${value}" is not an IAM role ARN`,
      'Write it as arn:aws:iam::123456789012:role/NAME (partition aws, aws-cn or aws-us-gov; optional /path/ before NAME).',
    );
  }
}

/** Throws ERR_PROFILE_INVALID unless `value` is a valid MFA serial (device ARN or hardware serial). */
export function checkMfaSerial(profile: string, configPath: string, value: string): void {
  if (!MFA_SERIAL_PATTERN.test(value)) {
    throw invalid(
      profile,
      configPath,
      `mfa_serial "${value}" is not an MFA device ARN or serial`,
      'Write it as arn:aws:iam::123456789012:mfa/NAME, or the hardware serial printed on the device (9-256 characters, no spaces).',
    );
  }
}

/** Throws ERR_PROFILE_INVALID unless `value` is a valid RoleSessionName. */
export function checkRoleSessionName(profile: string, configPath: string, value: string): void {
  if (!ROLE_SESSION_NAME_PATTERN.test(value)) {
    throw invalid(
      profile,
      configPath,
      `role_session_name "${value}" is not allowed by STS`,
      'Use 2-64 characters from letters, digits and _ + = , . @ - (no spaces).',
    );
  }
}

/** Throws ERR_PROFILE_INVALID unless `value` is a valid ExternalId. Not secret by AWS's design, so it may be echoed. */
export function checkExternalId(profile: string, configPath: string, value: string): void {
  if (!EXTERNAL_ID_PATTERN.test(value)) {
    throw invalid(profile, configPath, 'external_id is not allowed by STS', 'Use 2-1224 characters from letters, digits and _ + = , . @ : / - (no spaces).');
  }
}

/**
 * Parses an integer number of seconds within `range`; throws
 * ERR_PROFILE_INVALID naming `key` otherwise. (botocore silently ignores a
 * non-integer `duration_seconds`; rolehop says so instead.)
 */
export function parseDuration(profile: string, configPath: string, key: string, value: string, range: { min: number; max: number }): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw invalid(
      profile,
      configPath,
      `${key} "${value}" is not a whole number of seconds from ${range.min} to ${range.max}`,
      `Set ${key} to e.g. 3600 (1 hour).`,
    );
  }
  return n;
}
