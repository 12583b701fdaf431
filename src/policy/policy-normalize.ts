import type { Partition } from '../aws/partition.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { PolicyDocument } from './policy-document.js';

/**
 * IAM policy documents in a canonical form, so that a plan compares what a
 * document means rather than how IAM happened to spell it. IAM rewrites what
 * it stores: URL-encodes it, reorders keys and arrays, turns one-element
 * arrays into strings (and back), replaces a bare account id principal by the
 * account's root ARN, and accepts action names in any case. Without this, an
 * unchanged bundle would plan to changes on every run.
 */

/** A unique id (`AROA…`, `AIDA…`, …) where a principal ARN should be: IAM puts one there when the user or role was deleted. */
const UNIQUE_ID = /^(AROA|AIDA|AGPA|ANPA|ANVA|ASIA|AKIA)[A-Z0-9]{12,}$/;
const BARE_ACCOUNT = /^\d{12}$/;

/**
 * Parses a policy document as IAM returns it: raw JSON, or URL-encoded JSON
 * (RFC 3986 percent-encoding, so `+` is a literal plus, not a space).
 *
 * Text that starts with `{` (after trimming) is taken as raw JSON and never
 * decoded: a raw document may legitimately contain `%` (say in a condition
 * value), and decoding it would corrupt it or fail. Some callers (moto's
 * `ListRoles`) return raw JSON where AWS URL-encodes, so both must work.
 *
 * @throws RolehopError `ERR_AWS` when the text is not percent-decodable or
 *   is not a JSON object. The message names the problem, not the content.
 */
export function decodePolicyDocument(text: string): PolicyDocument {
  const trimmed = text.trim();
  let json = trimmed;
  if (!trimmed.startsWith('{')) {
    try {
      json = decodeURIComponent(trimmed);
    } catch (cause) {
      throw notAPolicy('it is neither JSON nor valid URL-encoded text', cause);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    throw notAPolicy('it is not valid JSON', cause);
  }
  if (!isPlainObject(parsed)) {
    throw notAPolicy(`it is JSON ${describe(parsed)}, not an object`);
  }
  return parsed;
}

function notAPolicy(why: string, cause?: unknown): RolehopError {
  return new RolehopError(ErrorCodes.AWS_OTHER, `IAM returned a policy document rolehop cannot read: ${why}`, {
    hint: 'Inspect the document in the IAM console; rolehop expects a JSON object.',
    ...(cause === undefined ? {} : { cause }),
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * The canonical form of a policy document, for comparison and display. Two
 * documents IAM treats as the same normalise to deep-equal values (see
 * {@link policiesEqual}). The input is never mutated; the result shares no
 * objects or arrays with it.
 *
 * - `Version` and any other top-level key are kept as given (absent stays
 *   absent); unknown keys anywhere are kept, canonicalised recursively.
 * - `Statement` is always an array; a single object becomes `[obj]`. The
 *   statements are sorted by their canonical JSON, so order does not matter.
 *   Duplicate statements are kept: IAM keeps them too.
 * - In a statement: `Action`/`NotAction` become sorted, deduplicated arrays of
 *   lower-cased strings (action names are case-insensitive);
 *   `Resource`/`NotResource` sorted, deduplicated arrays (case kept: ARNs are
 *   case-sensitive); `Principal`/`NotPrincipal` stays `"*"` or becomes an
 *   object of sorted, deduplicated arrays, where an `AWS` principal that is a
 *   bare 12-digit account id becomes `arn:<partition>:iam::<id>:root`;
 *   `Condition` keys (not operators) are lower-cased (condition keys are
 *   case-insensitive) and its values become sorted, deduplicated arrays of
 *   strings (`true` → `"true"`, `3600` → `"3600"`). `Sid` and `Effect` are kept.
 *
 * Object keys come out sorted, so `JSON.stringify` of the result is stable.
 *
 * @param partition decides the root ARN of a bare account id principal.
 */
export function normalizePolicy(doc: PolicyDocument, partition: Partition = 'aws', opts: { foldCase?: boolean } = {}): PolicyDocument {
  const fold = opts.foldCase ?? true;
  const out: PolicyDocument = {};
  for (const key of Object.keys(doc).sort()) {
    const value = doc[key];
    if (value === undefined) continue;
    out[key] = key === 'Statement' ? normalizeStatements(value, partition, fold) : canonicalize(value);
  }
  return out;
}

function normalizeStatements(value: unknown, partition: Partition, fold: boolean): unknown {
  // A Statement that is neither an object nor an array is invalid IAM; keep it
  // (canonicalised) so the difference stays visible instead of vanishing.
  if (!isPlainObject(value) && !Array.isArray(value)) return canonicalize(value);
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const normalized = list.map((s) => (isPlainObject(s) ? normalizeStatement(s, partition, fold) : canonicalize(s)));
  return sortByCanonical(normalized);
}

function normalizeStatement(statement: Record<string, unknown>, partition: Partition, fold: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(statement).sort()) {
    const value = statement[key];
    if (value === undefined) continue;
    switch (key) {
      case 'Action':
      case 'NotAction':
        out[key] = sortedSet(value, (s) => (fold ? s.toLowerCase() : s));
        break;
      case 'Resource':
      case 'NotResource':
        out[key] = sortedSet(value, (s) => s);
        break;
      case 'Principal':
      case 'NotPrincipal':
        out[key] = normalizePrincipal(value, partition);
        break;
      case 'Condition':
        out[key] = normalizeCondition(value, fold);
        break;
      default:
        out[key] = canonicalize(value);
    }
  }
  return out;
}

function normalizePrincipal(value: unknown, partition: Partition): unknown {
  if (!isPlainObject(value)) return canonicalize(value); // "*" stays "*"
  const out: Record<string, unknown> = {};
  for (const type of Object.keys(value).sort()) {
    const ids = value[type];
    if (ids === undefined) continue;
    out[type] = type === 'AWS' ? sortedSet(ids, (s) => (BARE_ACCOUNT.test(s) ? `arn:${partition}:iam::${s}:root` : s)) : sortedSet(ids, (s) => s);
  }
  return out;
}

function normalizeCondition(value: unknown, fold: boolean): unknown {
  if (!isPlainObject(value)) return canonicalize(value);
  const out: Record<string, unknown> = {};
  for (const operator of Object.keys(value).sort()) {
    const block = value[operator];
    if (block === undefined) continue;
    out[operator] = isPlainObject(block) ? normalizeConditionBlock(block, fold) : canonicalize(block);
  }
  return out;
}

function normalizeConditionBlock(block: Record<string, unknown>, fold: boolean): Record<string, unknown> {
  const keys = Object.keys(block).filter((k) => block[k] !== undefined);
  // Two keys that differ only in case would be ANDed by IAM; merging them
  // under one lower-cased key would turn that into an OR. Such keys keep their
  // spelling, so they still compare (and show) as written.
  const count = new Map<string, number>();
  for (const k of keys) count.set(k.toLowerCase(), (count.get(k.toLowerCase()) ?? 0) + 1);
  const entries = keys.map((k) => [fold && count.get(k.toLowerCase()) === 1 ? k.toLowerCase() : k, block[k]] as const);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries.sort(([a], [b]) => compareStrings(a, b))) out[k] = sortedSet(v, (s) => s, true);
  return out;
}

/**
 * A value as a sorted, deduplicated array: a scalar becomes a one-element
 * array, strings go through `mapString`. With `stringify`, numbers and
 * booleans become strings (IAM compares condition values as strings and may
 * return them as such). Anything else is kept, canonicalised, after the strings.
 */
function sortedSet(value: unknown, mapString: (s: string) => string, stringify = false): unknown[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const mapped = list.map((v) => {
    if (typeof v === 'string') return mapString(v);
    if (stringify && (typeof v === 'number' || typeof v === 'boolean')) return String(v);
    return canonicalize(v);
  });
  const seen = new Set<string>();
  const unique = mapped.filter((v) => {
    const key = canonicalJson(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return sortByCanonical(unique);
}

/** Sorts strings by code unit (locale-independent), then everything else by canonical JSON. */
function sortByCanonical(values: unknown[]): unknown[] {
  const key = (v: unknown): string => (typeof v === 'string' ? `0${v}` : `1${canonicalJson(v)}`);
  return values
    .map((v) => [key(v), v] as const)
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([, v]) => v);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy with every plain object's keys sorted; arrays keep their order. */
function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) out[key] = canonicalize(value[key]);
    }
    return out;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `JSON.stringify` with the keys of every object sorted (by code unit,
 * recursively) and no whitespace: equal data gives equal text whatever the
 * key order. Array order is kept. Like `JSON.stringify`, `undefined`
 * properties are left out and `undefined` array items become `null`; a value
 * JSON cannot represent at the top level (`undefined`, a function) gives
 * `"null"`. Throws (TypeError) on a cycle or a BigInt, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  const text: string | undefined = JSON.stringify(value, (_key, v: unknown) => (isPlainObject(v) ? sortKeys(v) : v));
  return text ?? 'null';
}

function sortKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) out[key] = obj[key];
  return out;
}

/** True when IAM treats the two documents as the same: their {@link normalizePolicy} forms are equal. */
export function policiesEqual(a: PolicyDocument, b: PolicyDocument, partition: Partition = 'aws'): boolean {
  return canonicalJson(normalizePolicy(a, partition)) === canonicalJson(normalizePolicy(b, partition));
}

/**
 * The `AWS` principals (of `Principal` and `NotPrincipal`) that are unique ids
 * (`AROA…`, `AIDA…`, …) instead of ARNs, sorted and deduplicated. IAM puts a
 * unique id where a named user or role was deleted: the statement no longer
 * trusts anyone, and re-creating the principal does not restore it.
 */
export function danglingPrincipals(doc: PolicyDocument): string[] {
  const statements = doc['Statement'];
  const list: unknown[] = Array.isArray(statements) ? statements : [statements];
  const found = new Set<string>();
  for (const statement of list) {
    if (!isPlainObject(statement)) continue;
    for (const key of ['Principal', 'NotPrincipal']) {
      const principal = statement[key];
      if (!isPlainObject(principal)) continue;
      const aws = principal['AWS'];
      for (const id of Array.isArray(aws) ? aws : [aws]) {
        if (typeof id === 'string' && UNIQUE_ID.test(id)) found.add(id);
      }
    }
  }
  return [...found].sort(compareStrings);
}

/**
 * The {@link normalizePolicy} form as 2-space indented JSON with sorted keys,
 * for showing a document or diffing two: documents IAM treats as the same
 * print identically. With `foldCase: false` actions and condition keys keep
 * their spelling (a person reads `sts:TagSession`), for showing documents
 * already known to differ.
 */
export function prettyPolicy(doc: PolicyDocument, partition: Partition = 'aws', opts: { foldCase?: boolean } = {}): string {
  return JSON.stringify(normalizePolicy(doc, partition, opts), null, 2);
}
