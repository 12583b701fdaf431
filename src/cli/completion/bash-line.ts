/** A command line up to the cursor, split into words as the shell will read them. */
export interface SplitLine {
  /** Every word, unquoted; the last one is the (possibly empty) word under the cursor. */
  words: string[];
  /** The last word as typed, quotes and backslashes included. */
  lastRaw: string;
}

/**
 * Splits the text bash hands a completion function (`COMP_LINE` up to
 * `COMP_POINT`) into words with shell quoting: `'…'`, `"…"` (a backslash
 * escapes `"`, `\`, `$` and a backquote) and backslash escapes outside
 * quotes. Unlike a full parse, an unclosed quote is not an error: it is the
 * word being typed. Pure.
 */
export function splitBashLine(line: string): SplitLine {
  const words: string[] = [];
  let word = '';
  let raw = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  // An escaped character: part of the word, and of its raw text after the backslash.
  const take = (at: number) => {
    raw += line[at]!;
    return line[at]!;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (!quote && /\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      raw = '';
      inWord = false;
      continue;
    }
    inWord = true;
    raw += c;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += take(++i);
      else word += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') {
      if (i + 1 < line.length) word += take(++i);
    } else word += c;
  }
  words.push(inWord ? word : '');
  return { words, lastRaw: inWord ? raw : '' };
}

/** Backslash-escapes what bash would otherwise split or expand, so a candidate is inserted as one word. */
export function bashEscape(word: string): string {
  return word.replace(/[^\p{L}\p{M}\p{N}_.,@+%:/=-]/gu, (c) => `\\${c}`);
}

/**
 * Turns whole-word candidates into what bash's `COMPREPLY` must hold.
 * bash splits the word under the cursor at `COMP_WORDBREAKS` (`=` and `:`
 * among them), so `cur` (`COMP_WORDS[COMP_CWORD]`) may be only the tail of
 * the word: each candidate then loses the part bash keeps in front of it.
 * Right after a break (`--regions=`), `cur` is the break itself but readline
 * replaces only what follows it, so the whole word is kept.
 */
export function bashReplies(candidates: readonly string[], lastRaw: string, cur: string): string[] {
  if (cur === lastRaw || !lastRaw.endsWith(cur)) return candidates.map(bashEscape);
  const kept = /^[=:]+$/.test(cur) ? lastRaw : lastRaw.slice(0, lastRaw.length - cur.length);
  return candidates.filter((c) => c.startsWith(kept)).map((c) => bashEscape(c.slice(kept.length)));
}
