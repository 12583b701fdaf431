import { ErrorCodes, RolehopError } from '../errors.js';

/**
 * A job's value as the JSON the CLI will print: what `JSON.stringify` makes
 * of it, parsed back, so nothing downstream (NDJSON, `--output-dir`, the
 * journal) can fail on it later. The conversions are JSON's own: `undefined`
 * (and a function or symbol) at the top is no value (printed as `null`),
 * inside an object it is left out, inside an array it becomes `null`; a
 * Date becomes its ISO string, a Map or Set `{}`. A BigInt, a cycle or a
 * `toJSON` that throws cannot be written at all: ERR_JOB_RESULT, so that
 * target fails and is run again on `--resume`.
 */
export function jsonValue(value: unknown): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new RolehopError(ErrorCodes.JOB_RESULT, `The job returned a value that cannot be written as JSON (${why(e)})`, {
      hint: 'Return plain data: convert BigInt values to strings or numbers, and break reference cycles.',
    });
  }
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

function why(e: unknown): string {
  const m = e instanceof Error ? e.message : '';
  if (/BigInt/i.test(m)) return 'it holds a BigInt';
  if (/circular/i.test(m)) return 'it holds a reference cycle';
  return 'its toJSON failed';
}
