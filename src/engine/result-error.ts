import { mapAwsError } from '../aws/map-error.js';
import { isRolehopError } from '../errors.js';
import type { ResultError } from './types.js';

/**
 * The {@link ResultError} of a target that threw `e` at `stage`: a rolehop or
 * AWS error keeps its code (and AWS error name); anything else is `ERR_JOB`
 * unless it carries an `ERR_*` code of its own.
 */
export function resultErrorOf(e: unknown, stage: ResultError['stage']): ResultError {
  const err = isRolehopError(e)
    ? e
    : typeof e === 'object' && e !== null && ('$metadata' in e || '$fault' in e)
      ? mapAwsError(e, stage === 'credentials' ? 'AssumeRole' : 'Job')
      : undefined;
  if (err) {
    const awsCode = err.details?.awsCode;
    return { code: err.code, message: err.message, stage, ...(typeof awsCode === 'string' ? { awsCode } : {}) };
  }
  const message = e instanceof Error ? e.message : String(e);
  const raw = (e as { code?: unknown } | undefined)?.code;
  const code = typeof raw === 'string' && raw.startsWith('ERR_') ? raw : 'ERR_JOB';
  return { code, message, stage };
}
