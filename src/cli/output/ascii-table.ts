/** Cells of printable ASCII only: one column per character, no line breaks, no escapes. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The bordered table cli-table3 draws for `head` and `rows` with
 * `style: { head: [], border: [] }` and no rules between rows, character
 * for character, when every cell is printable ASCII (each character one
 * column wide); undefined otherwise, for cli-table3 to draw. Loading and
 * first running cli-table3 (string-width and its emoji expression among it)
 * costs more than the rest of `rolehop list`.
 */
export function asciiBorderedTable(head: readonly string[], rows: readonly (readonly string[])[]): string | undefined {
  if (!head.every((c) => PRINTABLE_ASCII.test(c)) || !rows.every((r) => r.length === head.length && r.every((c) => PRINTABLE_ASCII.test(c)))) return undefined;
  const widths = head.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length) + 2);
  const rule = (left: string, mid: string, right: string) => left + widths.map((w) => '─'.repeat(w)).join(mid) + right;
  const line = (cells: readonly string[]) => `│${cells.map((c, i) => ` ${c.padEnd(widths[i]! - 2)} `).join('│')}│`;
  return [rule('┌', '┬', '┐'), line(head), ...rows.map(line), rule('└', '┴', '┘')].join('\n');
}
