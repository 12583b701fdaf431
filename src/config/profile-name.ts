/**
 * Which profile (and services / sso-session) names rolehop can use. A name
 * travels into a keychain account (`key:NAME`), the vault index (JSON keys),
 * the session-copy account, the rotation journal's file name
 * (`encodeURIComponent(NAME).json`), `ROLEHOP_PROFILE` and messages, so it
 * must round-trip through all of them unchanged.
 *
 * - Letters and digits of any script (with their combining marks), plus
 *   `_ . @ + % : / -`: what the AWS CLI reads (`[profile café-prod]`) and,
 *   for ASCII names, what SDK v3 understands too.
 * - Single spaces between such runs (`my team`, written `[profile "my team"]`
 *   as the AWS CLI reads it); not at either end and never two in a row, so
 *   two names never differ only by spacing.
 * - No quotes, tabs, control or invisible format characters (bidi
 *   overrides, zero-width joiners): they would make two different names
 *   look alike in `list`.
 * - Not `__proto__`: it is special to every plain JavaScript object (and
 *   SDK v3 rejects it), so a single store or library that still keys a plain
 *   object by profile would silently lose it. Other `Object.prototype` names
 *   (`constructor`, `toString`...) are ordinary names.
 * - At most {@link MAX_ENCODED_NAME} characters once URI-encoded, so the
 *   journal file name stays below the 255-byte limit of common filesystems.
 *
 * Names are compared as written (no Unicode normalisation), as the AWS CLI
 * does: `café` typed as NFC and as NFD are two names.
 */
export const PROFILE_NAME_PATTERN = /^[\p{L}\p{M}\p{N}_.@+%:/-]+(?: [\p{L}\p{M}\p{N}_.@+%:/-]+)*$/u;

/** Longest `encodeURIComponent(name)` accepted (a file name is at most 255 bytes). */
export const MAX_ENCODED_NAME = 200;

/** The one name refused only because JavaScript objects treat it specially; older versions stored keys under it. */
export const RESERVED_NAME = '__proto__';

/** One line for hints: the rule in words. */
export const PROFILE_NAME_RULE =
  'Names use letters and digits (of any script) and _ . @ + % : / -, with single spaces between words (write [profile "my team"]), no quotes, and are not "__proto__".';

/**
 * `name` quoted for a message: control, format (bidi, zero-width) and other
 * invisible characters are shown as `\u{…}` escapes, so a hostile section
 * name cannot move the cursor or reorder the text around it on a terminal.
 */
export function quotedName(name: string): string {
  return `"${name.replace(/[\p{C}\p{Z}"\\]/gu, (c) => (c === ' ' ? ' ' : `\\u{${c.codePointAt(0)!.toString(16)}}`))}"`;
}

/** Why rolehop cannot use `name` as a profile name, or undefined when it can. Pure. */
export function profileNameProblem(name: string): string | undefined {
  if (!name) return 'is empty';
  if (name === RESERVED_NAME) return 'is reserved ("__proto__" is special to JavaScript objects, and the AWS SDK for JavaScript rejects it)';
  if (!PROFILE_NAME_PATTERN.test(name))
    return 'contains characters rolehop cannot use in a name (quotes, tabs, spaces at the ends or in pairs, symbols or invisible characters)';
  if (encodeURIComponent(name).length > MAX_ENCODED_NAME) return 'is too long to be used in a file name';
  return undefined;
}
