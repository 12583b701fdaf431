/** Names whose `localeCompare` order is their code-unit order (checked in name-order.test.ts). */
const PLAIN_NAME = /^[a-z0-9.-]*$/;

/**
 * Orders two names exactly as `a.localeCompare(b)` does, without asking
 * ICU's collator for the common case of lower-case ASCII names (letters,
 * digits, `-` and `.`), which it orders as code units: the collator's first
 * use costs some 7 ms of a command's start.
 */
export function compareNames(a: string, b: string): number {
  if (PLAIN_NAME.test(a) && PLAIN_NAME.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}
