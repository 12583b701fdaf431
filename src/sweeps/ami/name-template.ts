import { ErrorCodes, RolehopError } from '../../index.js';

/** The default AMI name: the instance id and the run's start time, unique per instance and run. */
export const DEFAULT_NAME_TEMPLATE = '{instance}-{utc}';

/** What an AMI name template may use. */
export interface NameFields {
  /** The instance id, `i-…`. */
  instance: string;
  /** The run's start in UTC, `20261203T101500Z` (see {@link utcStamp}). */
  utc: string;
  account: string;
  region: string;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set<string>(['instance', 'utc', 'account', 'region']);
/** What EC2 accepts in an AMI name, besides letters and digits. */
const NAME_CHARS = /^[A-Za-z0-9()[\]. /\-'@_]*$/;
/** Longest values the placeholders can take: a 17-digit instance id, a 14-character region (`ap-southeast-5`). */
const LONGEST: NameFields = { instance: 'i-0123456789abcdef0', utc: '20261203T101500Z', account: '123456789012', region: 'ap-southeast-5' };
const MIN_LENGTH = 3;
const MAX_LENGTH = 128;

/** `ms` since the epoch as a compact UTC stamp, `20261203T101500Z` (sortable, valid in an AMI name). */
export function utcStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll('-', '')
    .replaceAll(':', '');
}

function usage(message: string): never {
  throw new RolehopError(ErrorCodes.USAGE, message, {
    hint: `For example --name-template '${DEFAULT_NAME_TEMPLATE}' or 'backup-{instance}-{utc}'; placeholders: {instance} {utc} {account} {region}.`,
  });
}

/**
 * Checks a template before any AWS call: only the four placeholders; both
 * `{instance}` and `{utc}` present (EC2 refuses a second AMI of the same
 * name in a region, so a name must differ per instance and per run); the
 * literal text in EC2's AMI name alphabet; 3–128 characters even with the
 * longest values.
 *
 * @throws RolehopError ERR_USAGE naming what is wrong.
 */
export function checkNameTemplate(template: string): void {
  for (const [, name] of template.matchAll(PLACEHOLDER)) if (!KNOWN.has(name!)) usage(`--name-template: unknown placeholder {${name}}`);
  for (const needed of ['{instance}', '{utc}'])
    if (!template.includes(needed)) usage(`--name-template must contain ${needed}: AMI names must be unique per instance and per run`);
  const literal = template.replace(PLACEHOLDER, '');
  if (!NAME_CHARS.test(literal)) usage(`--name-template "${template}" has characters EC2 does not allow in an AMI name`);
  if (renderImageName(template, LONGEST).length > MAX_LENGTH) usage(`--name-template gives names over ${MAX_LENGTH} characters`);
}

/**
 * Fills a template checked by {@link checkNameTemplate}. Unknown
 * placeholders are left as written.
 *
 * @throws RolehopError ERR_USAGE when the result is shorter than 3 characters.
 */
export function renderImageName(template: string, fields: NameFields): string {
  const name = template.replace(PLACEHOLDER, (all, key: string) => (KNOWN.has(key) ? fields[key as keyof NameFields] : all));
  if (name.length < MIN_LENGTH) usage(`--name-template gives "${name}", shorter than ${MIN_LENGTH} characters`);
  return name;
}
