/**
 * The EC2 instance metadata service (IMDS) as a plan source, decided from
 * the environment and the profile alone. Pure.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import type { ProfileSection } from './aws-config.js';
import type { SourceStep } from './plan.js';
import { profileValue } from './profile-values.js';

type Env = Readonly<Record<string, string | undefined>>;

const IPV4_ENDPOINT = 'http://169.254.169.254';
const IPV6_ENDPOINT = 'http://[fd00:ec2::254]';

/** True when `AWS_EC2_METADATA_DISABLED` turns IMDS off (anything but `false`, as in the SDK v3). */
export function imdsDisabled(env: Env): boolean {
  const v = env.AWS_EC2_METADATA_DISABLED;
  return v !== undefined && v !== '' && v.toLowerCase() !== 'false';
}

/**
 * The IMDS source for `profile`: the endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT`,
 * else the profile's `ec2_metadata_service_endpoint`, else the IPv4 or IPv6
 * address by `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` /
 * `ec2_metadata_service_endpoint_mode`. Only scheme, host and port are kept,
 * as in the SDK v3.
 *
 * Errors: ERR_PROFILE_INVALID for an endpoint that is not an http(s) URL or
 * an unknown mode.
 */
export function imdsSource(profile: string, section: ProfileSection, env: Env): Extract<SourceStep, { kind: 'imds' }> {
  const configured = env.AWS_EC2_METADATA_SERVICE_ENDPOINT || profileValue(section, 'ec2_metadata_service_endpoint');
  if (configured) {
    let url: URL | undefined;
    try {
      url = new URL(configured);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new RolehopError(ErrorCodes.PROFILE_INVALID, `Profile "${profile}": the instance metadata endpoint "${configured}" is not an http(s) URL`, {
        hint: 'Set AWS_EC2_METADATA_SERVICE_ENDPOINT to a URL such as http://169.254.169.254, or unset it.',
        details: { profile },
      });
    }
    return { kind: 'imds', profile, endpoint: url.origin };
  }
  const mode = env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE || profileValue(section, 'ec2_metadata_service_endpoint_mode') || 'IPv4';
  if (mode !== 'IPv4' && mode !== 'IPv6') {
    throw new RolehopError(ErrorCodes.PROFILE_INVALID, `Profile "${profile}": instance metadata endpoint mode "${mode}" is not IPv4 or IPv6`, {
      hint: 'Set AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (or ec2_metadata_service_endpoint_mode) to IPv4 or IPv6.',
      details: { profile },
    });
  }
  return { kind: 'imds', profile, endpoint: mode === 'IPv6' ? IPV6_ENDPOINT : IPV4_ENDPOINT };
}
