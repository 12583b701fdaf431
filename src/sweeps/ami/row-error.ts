import { ErrorCodes, isRolehopError } from '../../index.js';
import type { AmiRowError } from './rows.js';

const THROTTLES = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);

/** The AWS error name of an SDK error, '' for anything else. */
export function awsName(e: unknown): string {
  const err = e as { name?: unknown; $metadata?: unknown } | undefined;
  return typeof err === 'object' && err !== null && '$metadata' in err && typeof err.name === 'string' ? err.name : '';
}

/**
 * A per-AMI failure as a row error: a rolehop error keeps its code; an AWS
 * error gets ERR_AWS_ACCESS_DENIED (EC2 says `UnauthorizedOperation`),
 * ERR_AWS_THROTTLED or ERR_AWS, with its name in `awsCode`; anything else
 * is ERR_AWS too. `what` names the call, e.g. `CreateImage i-0abc`.
 */
export function rowError(e: unknown, what: string): AmiRowError {
  if (isRolehopError(e)) return { code: e.code, message: e.message };
  const name = awsName(e);
  const message = `${what} failed: ${name ? `${name}: ` : ''}${e instanceof Error ? e.message : String(e)}`;
  const code =
    name === 'UnauthorizedOperation' || name.startsWith('AccessDenied')
      ? ErrorCodes.AWS_ACCESS_DENIED
      : THROTTLES.has(name)
        ? ErrorCodes.AWS_THROTTLED
        : ErrorCodes.AWS_OTHER;
  return { code, message, ...(name ? { awsCode: name } : {}) };
}
