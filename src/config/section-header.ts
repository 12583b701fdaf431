/**
 * Section headers of the AWS config file, read as botocore reads them: the
 * text up to the last `]`, then for `profile`, `services` and `sso-session`
 * sections a shell-style split into exactly two words, the second being the
 * name (`[profile "my team"]` is profile `my team`). Pure.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import { shlexSplit } from './shlex-split.js';

/** What a section header declares. `other` sections (`[plugins]`, `[preview]`, and headers botocore skips) are kept but ignored by rolehop. */
export type IniSectionKind = 'default' | 'profile' | 'services' | 'sso-session' | 'other';

/** A parsed header: its kind and name, and why botocore skips it, if it does. */
export interface SectionHeader {
  kind: IniSectionKind;
  /** The profile, services or sso-session name (`default` for `[default]`); the whole header text for `other`. */
  name: string;
  /** The header text between the brackets, trimmed (what duplicates are checked on). */
  header: string;
  /** Set on a header that looks like a profile, services or sso-session header but that botocore skips: why. */
  skipped?: string;
}

export const HEADER_HINT = 'Section headers look like [default], [profile NAME], [services NAME] or [sso-session NAME].';

const KINDS = ['profile', 'services', 'sso-session'] as const;

function fail(fileName: string, line: number, message: string, hint: string): never {
  throw new RolehopError(ErrorCodes.CONFIG_PARSE, `${fileName}, line ${line}: ${message}`, { hint, details: { file: fileName, line } });
}

/**
 * The text between the brackets of a header line. configparser takes the
 * header up to the LAST "]" on the line and ignores what follows, so
 * `[profile me] # note` is `profile me` for the AWS CLI. A comment is
 * accepted there; other trailing text is refused (the CLI drops it silently,
 * almost always a typo), and so is a "]" after the header, which would make
 * the CLI read a different section name than the one written.
 */
export function headerInner(trimmed: string, fileName: string, line: number): string {
  const m = /^\[([^\]]*)\](.*)$/.exec(trimmed);
  if (!m) fail(fileName, line, `malformed section header "${trimmed}"`, HEADER_HINT);
  const after = m[2]!.trim();
  if (after && !after.startsWith('#') && !after.startsWith(';')) {
    fail(fileName, line, `text after the closing "]" of "[${m[1]!.trim()}]"`, `${HEADER_HINT} Only a # or ; comment may follow the "]".`);
  }
  if (after.includes(']')) {
    fail(
      fileName,
      line,
      `a "]" after the header "[${m[1]!.trim()}]"`,
      'The AWS CLI would read the section name up to the last "]" on the line; remove the "]" from the comment or move the comment to its own line.',
    );
  }
  return m[1]!;
}

/**
 * Reads the text between a header's brackets.
 *
 * - `default` is profile `default`; `[DEFAULT]` and `[]` are errors.
 * - A header starting with `profile`, `services` or `sso-session` is split
 *   like a shell line ({@link shlexSplit}). Two words make a section named
 *   by the second. Anything else (one word such as `[profilex]` or
 *   `[profile]`, three words such as `[profile my team]`, an unclosed
 *   quote) is skipped by botocore, so it is returned as `other` with
 *   `skipped` set: the loader warns and every other profile keeps working.
 * - Two words whose first only starts with the kind (`[profiles x]`) are an
 *   error: botocore reads that as profile `x`, and silently reading it
 *   otherwise would give the two tools different profiles.
 */
export function parseHeader(inner: string, fileName: string, line: number): SectionHeader {
  const header = inner.trim();
  if (!header) fail(fileName, line, 'empty section header "[]"', HEADER_HINT);
  if (header === 'DEFAULT') {
    fail(fileName, line, '[DEFAULT] is a special configparser section whose keys leak into every profile', 'Rename it to [default] (lower case).');
  }
  if (header === 'default') return { kind: 'default', name: 'default', header };
  const kind = KINDS.find((k) => header.startsWith(k));
  if (!kind) return { kind: 'other', name: header, header };
  const words = shlexSplit(header);
  if (!words) return { kind: 'other', name: header, header, skipped: 'it has an unclosed quote or a trailing backslash' };
  if (words.length !== 2) {
    const skipped =
      words.length < 2
        ? `it is not of the form [${kind} NAME]`
        : `it has more than one name after "${kind}" (quote a name with spaces: [${kind} "${words.slice(1).join(' ')}"])`;
    return { kind: 'other', name: header, header, skipped };
  }
  if (words[0] !== kind) {
    fail(
      fileName,
      line,
      `malformed section header "[${header}]"`,
      `The AWS CLI reads it as the ${kind} "${words[1]}"; write [${kind} ${words[1]}] if that is what you mean. ${HEADER_HINT}`,
    );
  }
  return { kind, name: words[1]!, header };
}
