import { request } from 'node:http';
import type { SourceStep } from '../config/plan.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { readBoundedBody } from '../io/bounded-body.js';
import type { Credentials } from './types.js';

type Imds = Extract<SourceStep, { kind: 'imds' }>;

/** The metadata service answers on the instance itself: a second is plenty (the SDKs' default too). */
const TIMEOUT_MS = 1000;
/** Session token lifetime asked for, as the SDKs do (6 h). */
const TOKEN_TTL_SECONDS = '21600';
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';
/** Role names and credential documents are small; anything larger is not IMDS. */
const MAX_BODY_BYTES = 64 << 10;

class ImdsStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

function call(endpoint: string, method: 'GET' | 'PUT', path: string, headers: Record<string, string>): Promise<string> {
  const url = new URL(path, endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: TIMEOUT_MS }, (res) => {
      readBoundedBody(res, MAX_BODY_BYTES).then((body) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) reject(new ImdsStatusError(status));
        else resolve(body.toString('utf8'));
      }, reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** What went wrong, without any text of the answer (a parse error would quote it, and it may hold a secret). */
function failure(e: unknown): string {
  if (e instanceof ImdsStatusError) return ` (HTTP ${e.status})`;
  const code = (e as NodeJS.ErrnoException).code;
  if (code) return ` (${code})`;
  return (e as Error).message === 'timed out' ? ' (timed out)' : '';
}

function imdsError(source: Imds, why: string, hint: string): RolehopError {
  return new RolehopError(ErrorCodes.AWS_NETWORK, `Profile "${source.profile}": the instance metadata service at ${source.endpoint} ${why}`, {
    hint,
    details: { profile: source.profile },
  });
}

/**
 * Credentials of the instance profile by IMDSv2: a PUT for a session token,
 * then the role name and the role's credentials with that token. IMDSv1 is
 * never used. This is the protocol `fromInstanceMetadata` of the SDK speaks;
 * it is written out here because that provider takes its endpoint only from
 * `process.env` and the shared config file, while rolehop's plan names it
 * from its own `env` argument (and tests point it at a fake).
 *
 * Errors: ERR_AWS_NETWORK naming the endpoint and the failed step (never a
 * token or a credential).
 */
export async function credentialsFromImds(source: Imds): Promise<Credentials> {
  let step = 'refused a session token (IMDSv2)';
  try {
    const token = await call(source.endpoint, 'PUT', '/latest/api/token', { 'x-aws-ec2-metadata-token-ttl-seconds': TOKEN_TTL_SECONDS });
    const auth = { 'x-aws-ec2-metadata-token': token };
    step = 'has no instance profile role';
    const role = (await call(source.endpoint, 'GET', CREDENTIALS_PATH, auth)).split('\n')[0]!.trim();
    if (!role) throw new Error('no role');
    step = 'gave no credentials for the instance role';
    const doc = JSON.parse(await call(source.endpoint, 'GET', `${CREDENTIALS_PATH}${encodeURIComponent(role)}`, auth)) as Record<string, unknown>;
    const { AccessKeyId, SecretAccessKey, Token, Expiration } = doc;
    if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string' || typeof Token !== 'string' || typeof Expiration !== 'string') {
      throw new Error('not a credentials document');
    }
    const expiration = new Date(Expiration);
    if (Number.isNaN(expiration.getTime())) throw new Error('bad Expiration');
    return {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      sessionToken: Token,
      expiration,
      ...(typeof doc.AccountId === 'string' ? { accountId: doc.AccountId } : {}),
    };
  } catch (e) {
    throw imdsError(
      source,
      `${step}${failure(e)}`,
      'Run on an EC2 instance with an instance profile and IMDSv2 enabled (hop limit 2 inside containers), or set AWS_EC2_METADATA_SERVICE_ENDPOINT.',
    );
  }
}
