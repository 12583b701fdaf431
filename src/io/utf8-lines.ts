import { isUtf8 } from 'node:buffer';

/**
 * The 1-based line of the first byte sequence in `bytes` that is not valid
 * UTF-8, or undefined when all of it is. Lines end at LF, CRLF or a lone
 * CR, as the config parser counts them, so the line given is the one an
 * editor shows. The common case (valid text) is one native check.
 */
export function firstInvalidUtf8Line(bytes: Uint8Array): number | undefined {
  if (isUtf8(bytes)) return undefined;
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    const b = bytes[i];
    if (i < bytes.length && b !== 0x0a && b !== 0x0d) continue;
    // A line may not hold a multi-byte character cut by a newline byte: 0x0a and 0x0d never occur inside one.
    if (!isUtf8(bytes.subarray(start, i))) return line;
    if (b === 0x0d && bytes[i + 1] === 0x0a) i++;
    line++;
    start = i + 1;
  }
  return undefined;
}
