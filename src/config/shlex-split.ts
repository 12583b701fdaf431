/**
 * Splits a section header into words the way Python's `shlex.split` does in
 * its default POSIX mode, which is how botocore reads `[profile "my team"]`:
 * words end at whitespace; `'…'` is literal; inside `"…"` a backslash
 * escapes only `"` and `\`; outside quotes a backslash escapes any
 * character; `""` is an empty word. No comments are recognised.
 *
 * Returns undefined where shlex raises ValueError (an unclosed quote, a
 * trailing backslash): botocore then skips the section. Pure.
 */
export function shlexSplit(text: string): string[] | undefined {
  const words: string[] = [];
  // `word` is undefined between words; a quote opens a word even if it stays empty.
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word = `${word ?? ''}${c}`;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word = `${word ?? ''}${text[++i]!}`;
      else word = `${word ?? ''}${c}`;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\') {
      if (i + 1 >= text.length) return undefined;
      word = (word ?? '') + text[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}
