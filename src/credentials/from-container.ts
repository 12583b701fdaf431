import type { SourceStep } from '../config/plan.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { readRegularFileSync, RefusedFileError } from '../io/read-regular-file.js';
import type { Credentials } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;
type Container = Extract<SourceStep, { kind: 'container' }>;

/** An Authorization value is a short token; EKS writes a JWT of a few KiB. */
const MAX_AUTHORIZATION_BYTES = 16 << 10;

function sourceError(source: Container, why: string, hint: string): RolehopError {
  return new RolehopError(ErrorCodes.AWS_NETWORK, `Profile "${source.profile}": the container credentials endpoint ${new URL(source.url).origin} ${why}`, {
    hint,
    details: { profile: source.profile },
  });
}

/** The `Authorization` value, read now (EKS rotates the token file); undefined when none is named. */
function authorizationValue(source: Container, env: Env): string | undefined {
  const a = source.authorization;
  if (!a) return undefined;
  if (a.from === 'env') return env.AWS_CONTAINER_AUTHORIZATION_TOKEN ?? '';
  let text: string | undefined;
  try {
    text = readRegularFileSync(a.path, MAX_AUTHORIZATION_BYTES);
  } catch (e) {
    const why = e instanceof RefusedFileError ? e.message : `${(e as NodeJS.ErrnoException).code ?? 'error'}`;
    throw new RolehopError(ErrorCodes.PROFILE_INVALID, `Profile "${source.profile}": cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (${why})`, {
      hint: 'Point AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE at the token file the agent wrote, or unset it.',
      details: { profile: source.profile },
    });
  }
  if (text === undefined) {
    throw new RolehopError(ErrorCodes.PROFILE_INVALID, `Profile "${source.profile}": AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${a.path} does not exist`, {
      hint: 'Point AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE at the token file the agent wrote, or unset it.',
      details: { profile: source.profile },
    });
  }
  return text.trim();
}

/**
 * Fetches credentials from the container endpoint with the SDK's own
 * provider (`fromHttp`: response checks, retries, timeouts), loaded on first
 * use. Every setting is passed explicitly, so the provider never falls back
 * to variables of `process.env` the plan did not choose.
 *
 * Errors: ERR_AWS_NETWORK naming the endpoint's origin (never the token or
 * the path, which may be a capability) when the endpoint fails or answers
 * something that is not credentials; ERR_PROFILE_INVALID for an unreadable
 * token file.
 */
export async function credentialsFromContainer(source: Container, env: Env): Promise<Credentials> {
  const token = authorizationValue(source, env);
  const { fromHttp } = await import('@aws-sdk/credential-provider-http');
  const provider = fromHttp({
    awsContainerCredentialsFullUri: source.url,
    // Empty, not undefined: undefined would make fromHttp read process.env.
    awsContainerCredentialsRelativeUri: '',
    awsContainerAuthorizationToken: token ?? '',
    awsContainerAuthorizationTokenFile: '',
  });
  let c: Awaited<ReturnType<typeof provider>>;
  try {
    c = await provider();
  } catch (e) {
    const status = /status: (\d{3})/.exec((e as Error).message)?.[1];
    throw sourceError(
      source,
      status ? `answered HTTP ${status}` : 'did not answer with credentials',
      status === '401' || status === '403'
        ? 'Check AWS_CONTAINER_AUTHORIZATION_TOKEN or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.'
        : 'Check that the task or pod has a role, and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / FULL_URI.',
    );
  }
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration ? { expiration: c.expiration } : {}),
    ...(c.accountId ? { accountId: c.accountId } : {}),
  };
}
