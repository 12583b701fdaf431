/**
 * A strict parser for the AWS shared-config dialect, with botocore's
 * semantics (Python `configparser.RawConfigParser` in strict mode plus
 * botocore's one-level sub-properties).
 *
 * Why hand-written: no well-kept npm INI library implements this dialect.
 * npm `ini` splits dotted section names into nested objects and strips inline
 * comments; smithy's `parseIni` (SDK v3) is lenient: it lets the last
 * duplicate win, strips inline comments and accepts lines botocore rejects.
 * A file the AWS CLI refuses should fail here too, with the line to fix,
 * instead of being read differently.
 *
 * Rules (see docs/aws-behaviour.md, "Config file: line syntax", and
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html):
 * - `key = value` or `key: value`, split at the first `=` or `:`; keys are
 *   lower-cased, keys and values trimmed; values are literal (quotes and
 *   ` # text` kept: there are no inline comments).
 * - Full-line comments start with `#` or `;` after optional indentation. A
 *   section header may be followed by a `#` or `;` comment (configparser
 *   ignores text after the header's last `]`); other text there, or a `]` in
 *   that comment, is refused. Names are read as botocore reads them
 *   (`section-header.ts`): a header botocore skips, such as `[profile a b]`,
 *   is kept as an `other` section saying why, not refused.
 * - A key with an empty value followed by lines indented deeper forms
 *   sub-properties, flattened as `parent.child` (child keys as written, split
 *   at the first `=` only, as botocore does). Blank lines and comments do
 *   not end the block.
 * - Errors (ERR_CONFIG_PARSE, with file and line): a line that is neither a
 *   header, a comment nor `key = value`; a key before any section; a
 *   header botocore would read as another name, or non-comment text after it; a duplicate section or key; an indented line that
 *   continues a non-empty value (botocore would silently glue it onto the
 *   value, almost always an indentation mistake); `[DEFAULT]`, which
 *   configparser would silently inherit into every profile.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import { headerInner, parseHeader, type IniSectionKind } from './section-header.js';

export type { IniSectionKind } from './section-header.js';

/** One section of the file, in file order. */
export interface IniSection {
  kind: IniSectionKind;
  /** The profile, services or sso-session name (`default` for `[default]`); the whole header text for `other`. */
  name: string;
  /** The header text between the brackets, trimmed (what duplicates are checked on). */
  header: string;
  /** On an `other` section that looks like a profile, services or sso-session header but that botocore skips: why (the loader warns). */
  skipped?: string;
  /** 1-based line of the header. */
  line: number;
  /** Keys (lower-cased; sub-properties flattened as `parent.child`) and values, in file order. */
  entries: Record<string, string>;
  /** 1-based line of each key, for messages. */
  keyLines: Record<string, number>;
}

function fail(fileName: string, line: number, message: string, hint: string): never {
  throw new RolehopError(ErrorCodes.CONFIG_PARSE, `${fileName}, line ${line}: ${message}`, { hint, details: { file: fileName, line } });
}

interface OpenValue {
  key: string;
  /** Indentation of the key's line: deeper lines continue it. */
  indent: number;
  /** True while the key has an empty value and may take sub-properties. */
  nested: boolean;
  /** True once a sub-property was read. */
  hasChildren: boolean;
}

/**
 * Parses a whole AWS config file. Pure; throws {@link RolehopError}
 * `ERR_CONFIG_PARSE` naming `fileName` and the 1-based line, with a hint.
 * Does not interpret section names beyond their kind (see `loadAwsConfig`).
 */
export function parseIni(text: string, fileName: string): IniSection[] {
  const sections: IniSection[] = [];
  const seenHeaders = new Map<string, number>();
  let current: IniSection | undefined;
  let open: OpenValue | undefined;

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const trimmed = raw.trim();
    // Blank lines and comments never end a value (configparser's empty_lines_in_values).
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const indent = raw.length - raw.trimStart().length;

    if (current && open && indent > open.indent) {
      if (!open.nested) {
        fail(
          fileName,
          lineNo,
          `indented line continues the value of "${open.key}" (line ${current.keyLines[open.key]})`,
          `Remove the indentation, or leave "${open.key} =" empty to start indented sub-properties.`,
        );
      }
      const eq = trimmed.indexOf('=');
      if (eq < 0) fail(fileName, lineNo, `sub-property of "${open.key}" has no "="`, `Write it as "  name = value" under "${open.key} =".`);
      const child = trimmed.slice(0, eq).trim();
      if (!child) fail(fileName, lineNo, `sub-property of "${open.key}" has an empty name`, 'Write it as "  name = value".');
      const flat = `${open.key}.${child}`;
      addEntry(current, flat, trimmed.slice(eq + 1).trim(), lineNo, fileName);
      open.hasChildren = true;
      return;
    }
    if (open?.nested && open.hasChildren && current) delete current.entries[open.key];
    open = undefined;

    if (trimmed.startsWith('[')) {
      const h = parseHeader(headerInner(trimmed, fileName, lineNo), fileName, lineNo);
      // Keyed by meaning, so [profile x] and [profile "x"] clash too.
      const identity = h.kind === 'other' ? h.header : `${h.kind} ${h.name}`;
      const first = seenHeaders.get(identity);
      if (first !== undefined) {
        fail(
          fileName,
          lineNo,
          `duplicate section "[${h.header}]" (first at line ${first})`,
          'Merge the two sections into one; the AWS CLI refuses files with duplicate sections.',
        );
      }
      seenHeaders.set(identity, lineNo);
      current = { ...h, line: lineNo, entries: {}, keyLines: {} };
      sections.push(current);
      return;
    }

    const d = /[=:]/.exec(trimmed);
    // The line itself is not echoed: it may be a secret key with a missing "=".
    if (!d) fail(fileName, lineNo, 'not a "key = value" line (no "=")', 'Every line must be a [section] header, a # comment, or key = value.');
    if (!current) fail(fileName, lineNo, 'key outside any section', 'Put keys under a header such as [default] or [profile NAME].');
    const key = trimmed.slice(0, d.index).trim().toLowerCase();
    if (!key) fail(fileName, lineNo, 'line has an empty key', 'Write key = value.');
    const value = trimmed.slice(d.index + 1).trim();
    addEntry(current, key, value, lineNo, fileName);
    open = { key, indent, nested: value === '', hasChildren: false };
  });
  if (open?.nested && open.hasChildren && current) delete current.entries[open.key];
  return sections;
}

function addEntry(section: IniSection, key: string, value: string, lineNo: number, fileName: string): void {
  if (Object.hasOwn(section.keyLines, key)) {
    fail(
      fileName,
      lineNo,
      `duplicate key "${key}" in [${section.header}] (first at line ${section.keyLines[key]})`,
      'Keep one of the two lines; the AWS CLI refuses files with duplicate keys.',
    );
  }
  // defineProperty: a key named "__proto__" must stay data, not set a prototype.
  Object.defineProperty(section.entries, key, { value, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(section.keyLines, key, { value: lineNo, enumerable: true, writable: true, configurable: true });
}
