/**
 * One CSV record as RFC 4180 writes it: a field holding a comma, a double
 * quote, CR or LF is put in double quotes with its quotes doubled; the
 * record ends with CRLF.
 */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** One field, quoted only when it has to be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
