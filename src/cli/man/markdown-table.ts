/**
 * The rows of the first Markdown table after the line that contains
 * `marker` (a heading, or the sentence that introduces the table), each row
 * as its cells with `\|` unescaped; the header and divider rows are left
 * out. Empty when there is no such table. Pure.
 */
export function markdownTableAfter(markdown: string, marker: string): string[][] {
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => l.includes(marker));
  if (at < 0) return [];
  let i = at + 1;
  while (i < lines.length && !lines[i]!.startsWith('|')) i++;
  const rows: string[][] = [];
  for (; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(tableCells(lines[i]!));
  return rows.slice(2);
}

function tableCells(line: string): string[] {
  // `\|` inside a cell is a pipe, not a cell border.
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replaceAll('\\|', '|'));
}
