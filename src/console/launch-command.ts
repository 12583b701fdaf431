import { ErrorCodes, RolehopError } from '../errors.js';

/**
 * Splits a command line the way Python's `shlex.split` does (POSIX rules):
 * whitespace separates words; single quotes are literal; double quotes
 * allow `\"`, `\\`, `\$` and `` \` `` escapes; a backslash outside quotes
 * escapes the next character. No variables, globs, pipes or redirects: the
 * words are executed without a shell.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\') {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) {
    throw new RolehopError(ErrorCodes.CONFIG_PARSE, 'The browser command has an unterminated quote', {
      hint: "Check ROLEHOP_BROWSER_COMMAND or the profile's browser_command.",
    });
  }
  if (inWord) words.push(word);
  return words;
}

/** Values for a browser launch template. */
export interface LaunchValues {
  /** The sign-in URL (secret). */
  url: string;
  /** The browser profile / container name. */
  profile: string;
}

/**
 * Turns a launch template such as `firefox -P {profile} --new-tab {url}`
 * into a program and its arguments. Placeholders are replaced inside each
 * word after splitting, so a value never splits into several arguments:
 * `{url}`, `{profile}`, and `{url_encoded}` / `{profile_encoded}`
 * (percent-encoded, for templates that embed them in another URL). A
 * template without `{url}` or `{url_encoded}` gets the URL as last argument.
 */
export function buildLaunchCommand(template: string, values: LaunchValues): { command: string; args: string[] } {
  const words = splitCommandLine(template);
  if (words.length === 0) {
    throw new RolehopError(ErrorCodes.CONFIG_PARSE, 'The browser command is empty', {
      hint: 'Set ROLEHOP_BROWSER_COMMAND or browser_command to e.g. "firefox -P {profile} --new-tab {url}".',
    });
  }
  const table: Record<string, string> = {
    url: values.url,
    profile: values.profile,
    url_encoded: encodeURIComponent(values.url),
    profile_encoded: encodeURIComponent(values.profile),
  };
  let usedUrl = false;
  const out = words.map((w) =>
    w.replace(/\{(url|profile|url_encoded|profile_encoded)\}/g, (_m, name: string) => {
      if (name.startsWith('url')) usedUrl = true;
      return table[name]!;
    }),
  );
  if (!usedUrl) out.push(values.url);
  const [command, ...args] = out;
  return { command: command!, args };
}
