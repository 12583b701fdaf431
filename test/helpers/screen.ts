/**
 * A small terminal emulator for transcripts of a pseudo-terminal: it applies
 * what rolehop's terminal output uses (printable text with wrapping at the
 * width, `\r`, `\n`, `\b`, CSI erase-line `K`, cursor up/down `A`/`B`, column
 * `G`, erase-display `J`) and ignores other escapes (colours, cursor
 * visibility). Lines scrolled off the top are kept, as a terminal's
 * scrollback does, so `lines` is everything a user could still read.
 */
export function renderScreen(transcript: string, width = 100): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = () => (lines[row] ??= []);
  const put = (ch: string) => {
    if (col >= width) {
      // Auto-wrap, as a terminal does after the last column.
      row++;
      col = 0;
    }
    const l = line();
    while (l.length < col) l.push(' ');
    l[col] = ch;
    col++;
  };
  for (let i = 0; i < transcript.length; i++) {
    const ch = transcript[i]!;
    if (ch === '\x1b') {
      // The escape character is what this parser looks for.
      // oxlint-disable-next-line no-control-regex
      const m = /^\x1b\[([?0-9;]*)([A-Za-z])/.exec(transcript.slice(i, i + 16));
      if (!m) {
        // Not a CSI: skip the escape and the one character after it.
        i++;
        continue;
      }
      i += m[0].length - 1;
      const arg = m[1]!.startsWith('?') ? undefined : m[1]!;
      const n = arg ? Number.parseInt(arg, 10) || 0 : 0;
      const l = line();
      switch (m[2]) {
        case 'K':
          if (n === 2) l.length = 0;
          else if (n === 1) for (let c = 0; c < Math.min(col + 1, l.length); c++) l[c] = ' ';
          else l.length = Math.min(l.length, col);
          break;
        case 'A':
          row = Math.max(0, row - Math.max(1, n));
          break;
        case 'B':
          row += Math.max(1, n);
          break;
        case 'G':
          col = Math.max(0, Math.max(1, n) - 1);
          break;
        case 'J':
          l.length = Math.min(l.length, col);
          if (n === 0) for (let r = row + 1; r < lines.length; r++) lines[r] = [];
          break;
        default:
          break;
      }
      continue;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      // A pty turns \n into \r\n (onlcr); a bare \n here behaves the same.
      row++;
      col = 0;
    } else if (ch === '\b') col = Math.max(0, col - 1);
    else if (ch >= ' ' || ch === '\t') put(ch === '\t' ? ' ' : ch);
  }
  const out: string[] = [];
  for (let r = 0; r < lines.length || r <= row; r++) out.push((lines[r] ?? []).join('').replace(/\s+$/, ''));
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}
