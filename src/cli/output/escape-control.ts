/**
 * Control and invisible format characters (escape sequences, `\r`, bidi
 * overrides) as visible `\xNN` / `\u{N}` text: another program's output in
 * the summary must not move the cursor or clear the screen. Tabs become a space.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, (c) => {
    if (c === '\t') return ' ';
    const n = c.codePointAt(0)!;
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}
