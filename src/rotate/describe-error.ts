import { isRolehopError } from '../errors.js';

/** The code to show for an error: the RolehopError code, with the AWS code when there is one; else the error's name. */
export function errorCode(e: unknown): string {
  if (!isRolehopError(e)) return (e as Error)?.name ?? 'Error';
  const aws = (e.details as { awsCode?: unknown } | undefined)?.awsCode;
  return typeof aws === 'string' ? `${e.code} (${aws})` : e.code;
}

/** The AWS error code (`NoSuchEntity`, `LimitExceeded`, ...) of a mapped or raw SDK error, when it has one. */
export function awsCode(e: unknown): string | undefined {
  const d = isRolehopError(e) ? (e.details as { awsCode?: unknown } | undefined) : undefined;
  if (typeof d?.awsCode === 'string') return d.awsCode;
  const n = (e as { name?: string })?.name;
  return typeof n === 'string' ? n : undefined;
}

/** The message of any thrown value, for a sentence. */
export function errorMessage(e: unknown): string {
  return isRolehopError(e) ? e.message : `${(e as Error)?.message ?? String(e)}`;
}
