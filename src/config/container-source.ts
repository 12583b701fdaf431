/**
 * The container credentials endpoint (ECS task roles, EKS Pod Identity) as a
 * plan source, decided from the environment alone. Pure.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import type { SourceStep } from './plan.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The ECS agent's link-local address, where `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` points. */
export const ECS_CONTAINER_HOST = '169.254.170.2';
/** Link-local addresses of the EKS Pod Identity agent. */
const EKS_CONTAINER_HOSTS = ['169.254.170.23', '[fd00:ec2::23]'];

/** True when the environment names a container endpoint at all. */
export function hasContainerVariables(env: Env): boolean {
  return !!env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || !!env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
}

/**
 * Whether the SDKs would call `url` for credentials: any https URL; plain
 * http only to a loopback address (127.0.0.0/8, [::1], localhost) or the ECS
 * and EKS link-local addresses, so credentials never cross a network in clear.
 * Host names are not resolved, as in botocore and the SDK v3.
 */
export function isAllowedContainerUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname;
  if (host === ECS_CONTAINER_HOST || EKS_CONTAINER_HOSTS.includes(host)) return true;
  if (host === 'localhost' || host === '[::1]') return true;
  const parts = host.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function refused(profile: string, message: string, hint: string): RolehopError {
  return new RolehopError(ErrorCodes.PROFILE_INVALID, `Profile "${profile}": ${message}`, { hint, details: { profile } });
}

/**
 * The container source for `profile`. `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
 * wins over `..._FULL_URI`, and `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
 * over `..._TOKEN`, as in botocore and the installed SDK v3 `fromHttp`.
 *
 * Errors: ERR_PROFILE_INVALID when neither URI is set, when FULL_URI is not
 * a URL, or names a host the SDKs refuse.
 */
export function containerSource(profile: string, env: Env): Extract<SourceStep, { kind: 'container' }> {
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  let url: URL;
  if (relative) {
    url = new URL(`http://${ECS_CONTAINER_HOST}${relative.startsWith('/') ? '' : '/'}${relative}`);
  } else if (full) {
    try {
      url = new URL(full);
    } catch {
      throw refused(profile, `AWS_CONTAINER_CREDENTIALS_FULL_URI "${full}" is not a URL`, 'Set it to a full URL such as http://127.0.0.1:8080/creds.');
    }
    if (!isAllowedContainerUrl(url)) {
      throw refused(
        profile,
        `AWS_CONTAINER_CREDENTIALS_FULL_URI points at ${url.protocol}//${url.host}, which is not allowed for credentials`,
        'Use an https URL, or plain http only to a loopback address (127.0.0.1, [::1], localhost) or the ECS/EKS addresses 169.254.170.2, 169.254.170.23, [fd00:ec2::23].',
      );
    }
  } else {
    throw refused(
      profile,
      'uses the container credentials endpoint, but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set',
      'Run inside an ECS task or an EKS pod with Pod Identity, or set AWS_CONTAINER_CREDENTIALS_FULL_URI (and AWS_CONTAINER_AUTHORIZATION_TOKEN).',
    );
  }
  const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  const authorization = tokenFile
    ? ({ from: 'file', path: tokenFile } as const)
    : env.AWS_CONTAINER_AUTHORIZATION_TOKEN
      ? ({ from: 'env' } as const)
      : undefined;
  return { kind: 'container', profile, url: url.href, ...(authorization ? { authorization } : {}) };
}
