/**
 * Custom endpoint resolution
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html),
 * for the services rolehop calls itself: STS, IAM and Organizations.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import type { AwsConfig, ProfileSection } from './aws-config.js';
import type { Endpoints } from './plan.js';
import { profileValue } from './profile-values.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Plan field → service id as used in `AWS_ENDPOINT_URL_<ID>` and `[services]` sub-keys. */
const SERVICE_IDS = { sts: 'sts', iam: 'iam', organizations: 'organizations' } as const satisfies Record<keyof Endpoints, string>;

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function checkUrl(url: string, origin: string, profile: string): string {
  let ok: boolean;
  try {
    const u = new URL(url);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new RolehopError(ErrorCodes.PROFILE_INVALID, `Endpoint "${url}" from ${origin} (profile "${profile}") is not an http(s) URL`, {
      hint: 'Write a full URL such as http://127.0.0.1:4566, or remove the setting.',
      details: { profile },
    });
  }
  return url;
}

/**
 * Endpoints for `profileName`, first match per service:
 * `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the `<service>.endpoint_url`
 * sub-key of the profile's `services = NAME` section, the profile's
 * `endpoint_url`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or, when that
 * variable is unset, the profile's `ignore_configured_endpoint_urls = true`)
 * disables all of them. A `services` name without its section is
 * ERR_PROFILE_INVALID, as in both AWS SDKs. Pure.
 */
export function resolveEndpoints(config: AwsConfig, profileName: string, section: ProfileSection, env: Env): Endpoints {
  const envIgnore = nonEmpty(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS);
  const ignore = (envIgnore ?? profileValue(section, 'ignore_configured_endpoint_urls') ?? '').toLowerCase() === 'true';
  if (ignore) return {};

  const servicesName = profileValue(section, 'services');
  let services: ProfileSection | undefined;
  if (servicesName !== undefined) {
    services = config.services.get(servicesName);
    if (!services) {
      throw new RolehopError(
        ErrorCodes.PROFILE_INVALID,
        `Profile "${profileName}" in ${config.path} names services = ${servicesName}, but there is no [services ${servicesName}] section`,
        {
          hint: `Add [services ${servicesName}] with e.g. "sts =" and an indented "endpoint_url = ..." line, or remove the services key.`,
          details: { profile: profileName },
        },
      );
    }
  }

  const out: Endpoints = {};
  for (const [field, id] of Object.entries(SERVICE_IDS) as Array<[keyof Endpoints, string]>) {
    const envName = `AWS_ENDPOINT_URL_${id.toUpperCase()}`;
    const candidates: Array<[string | undefined, string]> = [
      [nonEmpty(env[envName]), envName],
      [nonEmpty(env.AWS_ENDPOINT_URL), 'AWS_ENDPOINT_URL'],
      [services ? profileValue(services, `${id}.endpoint_url`) : undefined, `[services ${servicesName}] ${id}.endpoint_url`],
      [profileValue(section, 'endpoint_url'), 'endpoint_url'],
    ];
    const hit = candidates.find(([v]) => v !== undefined);
    if (hit) out[field] = checkUrl(hit[0]!, hit[1], profileName);
  }
  return out;
}
