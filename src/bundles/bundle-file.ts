import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { closeNames } from '../config/close-names.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { bundleFileSchema, knownKeysAt, type BundleFile } from './bundle-schema.js';
import { DEFAULT_ROLE_PATH, type Bundle, type BundleRole, type IdentitySide, type TrustSpec } from './model.js';

/**
 * Reading a bundle file: YAML, then the schema, then defaults. Every problem
 * is reported as `<file>:<line>: <key path>: <what is wrong>`, one line each,
 * so an editor (or a person) can jump to it: the schema says what is wrong at
 * which key, the YAML document's node ranges say where that key is.
 */

/** Bundle name when the file gives none. */
const DEFAULT_BUNDLE_NAME = 'default';
/** Identity policy name when the file gives none; `{role}` becomes the role's name. */
const DEFAULT_POLICY_NAME = 'rolehop-assume-{role}';
/** AWS's own default for MaxSessionDuration. */
const DEFAULT_MAX_SESSION_SECONDS = 3600;
/** More error lines than this are summarised: the first ones usually explain the rest. */
const MAX_LINES = 20;

type Path = readonly PropertyKey[];

/** One problem found in the file, before it is placed on a line. */
interface Problem {
  path: Path;
  message: string;
}

/** A problem placed on its line. */
interface Located {
  line: number;
  offset: number;
  text: string;
}

/**
 * Parses and validates a bundle file and applies every default (see the field
 * docs of {@link Bundle}). `file` is used only in messages and as `Bundle.file`.
 *
 * @throws RolehopError ERR_BUNDLE listing every YAML syntax error, or else
 *   every schema error, one `<file>:<line>: <key path>: <problem>` per line.
 *   Limits that IAM enforces but a valid file can break (quotas, name
 *   clashes) are `lintBundle`'s business, not this function's.
 */
export function parseBundle(text: string, file: string): Bundle {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;

  if (doc.errors.length > 0) {
    const located = doc.errors.map((e) => ({ offset: e.pos[0], line: lineOf(e.pos[0]), text: `${file}:${lineOf(e.pos[0])}: YAML syntax: ${e.message}` }));
    throw bundleError(located, 'Check the indentation (spaces, not tabs) and the quoting near that line.');
  }

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // An alias bomb or an alias to nothing: yaml refuses to expand it.
    throw bundleError([{ offset: 0, line: 1, text: `${file}:1: YAML: ${(e as Error).message}` }], 'Write the values out instead of using anchors and aliases.');
  }
  if (data === null || data === undefined) {
    throw bundleError([{ offset: 0, line: 1, text: `${file}:1: the file is empty` }], 'A bundle needs at least `version: 1` and a `roles:` list.');
  }

  const parsed = bundleFileSchema.safeParse(data);
  if (!parsed.success) {
    let quoteHint: string | undefined;
    const located = toProblems(parsed.error.issues, data, []).map((p) => {
      const { offset, node } = locate(doc, p.path);
      if (isScalar(node) && typeof node.value === 'number' && p.message.startsWith('must be a string') && node.range) {
        const source = text.slice(node.range[0], node.range[1]);
        const last = p.path.at(-1);
        const example = typeof last === 'string' ? `${last}: "${source}"` : `- "${source}"`;
        quoteHint ??= `YAML reads unquoted digits as a number (and drops leading zeros): quote them, e.g. ${example}.`;
      }
      const where = p.path.length > 0 ? `${keyPath(p.path)}: ` : '';
      return { offset, line: lineOf(offset), text: `${file}:${lineOf(offset)}: ${where}${p.message}` };
    });
    throw bundleError(located, quoteHint ?? 'Keys are camelCase and case-sensitive, and unknown keys are refused; compare with the commented default bundle.');
  }
  // IAM role names are case-insensitive: two that differ only in case cannot both exist in an account.
  const seen = new Map<string, string>();
  const clashes: Located[] = [];
  parsed.data.roles.forEach((r, i) => {
    const first = seen.get(r.name.toLowerCase());
    if (first === undefined) seen.set(r.name.toLowerCase(), r.name);
    else {
      const { offset } = locate(doc, ['roles', i, 'name']);
      const what = first === r.name ? `role ${r.name} is defined twice` : `role ${r.name} clashes with ${first}: IAM role names are case-insensitive`;
      clashes.push({ offset, line: lineOf(offset), text: `${file}:${lineOf(offset)}: roles[${i}].name: ${what}` });
    }
  });
  if (clashes.length) throw bundleError(clashes, 'Give every role a name of its own (names are compared without regard to case).');
  return toBundle(parsed.data, file);
}

/** One ERR_BUNDLE error: the problems sorted by position, duplicates dropped. */
function bundleError(located: Located[], hint: string): RolehopError {
  const sorted = [...located].sort((a, b) => a.offset - b.offset);
  const lines = [...new Set(sorted.map((l) => l.text))];
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `… and ${lines.length - MAX_LINES} more`] : lines;
  return new RolehopError(ErrorCodes.BUNDLE, shown.join('\n'), { hint, details: { problems: lines } });
}

/**
 * Zod issues as problems with a full path and a message. A union's issues are
 * narrowed to the one branch that got past the type check (a Statement that is
 * a map reports its map's errors, not "expected an array"); unknown keys
 * become one problem per key, on the key's own line.
 */
function toProblems(issues: readonly z.core.$ZodIssue[], data: unknown, base: Path): Problem[] {
  return issues.flatMap((iss): Problem[] => {
    const path = [...base, ...iss.path];
    const value = valueAt(data, path);
    switch (iss.code) {
      case 'unrecognized_keys':
        return iss.keys.map((key) => ({ path: [...path, key], message: unknownKey(path, key) }));
      case 'invalid_union': {
        const typeOnly = (branch: readonly z.core.$ZodIssue[]): boolean => branch.every((b) => b.code === 'invalid_type' && b.path.length === 0);
        const deep = iss.errors.filter((branch) => !typeOnly(branch));
        if (deep.length === 1) return toProblems(deep[0]!, data, path);
        const expected = iss.errors.flatMap((branch) => branch.flatMap((b) => (b.code === 'invalid_type' ? [b.expected] : [])));
        return [{ path, message: mustBe(expected, value) }];
      }
      case 'invalid_type':
        return [{ path, message: mustBe([iss.expected], value) }];
      case 'invalid_key':
        return [{ path, message: iss.issues[0]?.message ?? iss.message }];
      case 'invalid_value':
        return [{ path, message: value === undefined ? 'required' : iss.message }];
      default:
        return [{ path, message: iss.message }];
    }
  });
}

function unknownKey(objectPath: Path, key: string): string {
  const close = closeNames(key, knownKeysAt(objectPath), 1);
  return close.length > 0 ? `unknown key (did you mean "${close[0]}"?)` : 'unknown key';
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

function mustBe(expected: readonly string[], value: unknown): string {
  if (value === undefined) return 'required';
  const names = [...new Set(expected.map((e) => TYPE_NAMES[e] ?? e))];
  return `must be ${names.join(' or ')}, not ${describe(value)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : 'a string';
  return `a ${typeof value}`;
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** `roles[0].trust.mfa`; keys that are not plain words are quoted: `tags["rolehop:bundle"]`. */
function keyPath(path: Path): string {
  return path
    .map((seg, i) => {
      if (typeof seg === 'number') return `[${seg}]`;
      const key = String(seg);
      if (/^[A-Za-z_][\w-]*$/.test(key)) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}

/**
 * Where `path` is in the document: the offset of its key (a map entry) or of
 * the item (a list entry), or of the nearest parent that exists when the key
 * is missing; and the value node when the whole path exists.
 */
function locate(doc: Document, path: Path): { offset: number; node?: unknown } {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { offset };
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return { offset };
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return { offset };
    }
  }
  return { offset, node };
}

/** The file's values with every default applied (see the field docs in model.ts). */
function toBundle(f: BundleFile, file: string): Bundle {
  const bundlePath = f.path ?? DEFAULT_ROLE_PATH;
  const roles = f.roles.map((r): BundleRole => {
    // The schema refuses a role without trust.accounts when identityAccount is absent.
    const trust: TrustSpec = { accounts: r.trust?.accounts ?? [f.identityAccount!], mfa: r.trust?.mfa ?? true };
    if (r.trust?.principals) trust.principals = r.trust.principals;
    if (r.trust?.maxMfaAgeSeconds !== undefined) trust.maxMfaAgeSeconds = r.trust.maxMfaAgeSeconds;
    if (r.trust?.externalId !== undefined) trust.externalId = r.trust.externalId;
    const role: BundleRole = {
      name: r.name,
      path: r.path ?? bundlePath,
      description: r.description ?? '',
      trust,
      managedPolicies: r.managedPolicies ?? [],
      inlinePolicies: r.inlinePolicies ?? {},
      maxSessionDuration: r.maxSessionDuration ?? DEFAULT_MAX_SESSION_SECONDS,
      tags: r.tags ?? {},
    };
    if (r.permissionsBoundary !== undefined) role.permissionsBoundary = r.permissionsBoundary;
    if (r.accounts) role.accounts = r.accounts;
    return role;
  });
  const bundle: Bundle = { name: f.name ?? DEFAULT_BUNDLE_NAME, file, roles };
  if (f.identity) {
    // The schema refuses an identity section without identityAccount.
    const identity: IdentitySide = {
      account: f.identityAccount!,
      groups: f.identity.groups ?? {},
      policyName: f.identity.policyName ?? DEFAULT_POLICY_NAME,
      mfaGuard: f.identity.mfaGuard ?? true,
    };
    bundle.identity = identity;
  }
  if (f.accounts) bundle.accounts = f.accounts;
  return bundle;
}
