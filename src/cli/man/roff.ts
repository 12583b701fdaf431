/**
 * Escapes text for a roff line: backslashes and hyphens (so `--json` stays
 * two ASCII hyphens when copied from the rendered page), and a leading `.`
 * or `'` that roff would take for a request.
 */
export function roffText(text: string): string {
  return text
    .replaceAll('\\', '\\e')
    .replaceAll('-', '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

/** Markdown inline markup as roff: `code` and **strong** in bold, links as their text. */
export function roffFromMarkdown(text: string): string {
  const parts = text.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').split(/(`[^`]*`|\*\*[^*]+\*\*)/);
  return parts
    .map((p) => {
      if (p.startsWith('`') && p.endsWith('`') && p.length > 1) return `\\fB${roffText(p.slice(1, -1))}\\fR`;
      if (p.startsWith('**') && p.endsWith('**')) return `\\fB${roffText(p.slice(2, -2))}\\fR`;
      return roffText(p);
    })
    .join('');
}

/** A tagged paragraph (`.TP`): the term in bold on its own line, the text indented below it. */
export function roffTagged(term: string, text: string): string {
  return `.TP\n\\fB${term}\\fR\n${text}\n`;
}

/** Lines kept as they are (examples, aligned text), each escaped. */
export function roffPreformatted(text: string): string {
  return `.PP\n.nf\n${roffText(text)}\n.fi\n`;
}
