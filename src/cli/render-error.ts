import { ErrorCodes, exitCodeFor, isRolehopError, RolehopError } from '../errors.js';

/**
 * Renders any thrown value for the user and returns the exit code. Stack
 * traces and causes only with `debug`. Unknown errors become ERR_INTERNAL.
 */
export function renderError(e: unknown, out: NodeJS.WritableStream, opts: { json: boolean; debug: boolean }): number {
  const err: RolehopError = isRolehopError(e)
    ? e
    : new RolehopError(ErrorCodes.INTERNAL, `Unexpected error: ${(e as Error)?.message ?? String(e)}`, {
        hint: 'Run again with --debug and report the output (it contains no secrets) as a bug.',
        cause: e,
      });
  const code = exitCodeFor(err.code);
  if (opts.json) {
    out.write(
      JSON.stringify({
        error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), ...(err.details ? { details: err.details } : {}) },
      }) + '\n',
    );
  } else {
    out.write(`rolehop: error: ${err.message}\n`);
    if (err.hint) out.write(`  hint: ${err.hint}\n`);
  }
  if (opts.debug) {
    out.write(`${err.code}\n${err.stack ?? ''}\n`);
    if (err.cause) out.write(`cause: ${(err.cause as Error)?.stack ?? String(err.cause)}\n`);
  }
  return code;
}
