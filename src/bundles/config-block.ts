/**
 * AWS config profiles for a role bundle: one `[profile NAME]` per account and
 * bundle role, each chained from the user's own profile, so that
 * `rolehop exec acct-prod-RolehopAdministrator` works in every account of the
 * bundle. The profiles sit between two marker comments, so a rerun replaces
 * exactly what an earlier run wrote and never what the user wrote. Pure: the
 * CLI reads and writes the file.
 */
import type { Partition } from '../aws/partition.js';
import { parseIni, type IniSection } from '../config/parse-ini.js';
import { MAX_ENCODED_NAME, profileNameProblem, quotedName, RESERVED_NAME } from '../config/profile-name.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { BundleTarget } from './account-filter.js';
import type { Bundle } from './model.js';

/** The profile name template used when none is given. */
export const DEFAULT_PROFILE_TEMPLATE = '{account_name}-{role}';

/** The placeholders a profile name template may use. */
export const TEMPLATE_PLACEHOLDERS = ['account', 'account_name', 'role'] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Characters outside what `profile-name.ts` accepts (its pattern, one character at a time). */
const NOT_NAME_CHARS = /[^\p{L}\p{M}\p{N}_.@+%:/-]+/gu;

/**
 * Why `template` cannot be a profile name template, or undefined when it can:
 * it must not be empty and may use only {@link TEMPLATE_PLACEHOLDERS}, so a
 * typo such as `{acount}` is refused instead of ending up in every name.
 */
export function templateProblem(template: string): string | undefined {
  if (!template.trim()) return 'is empty';
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
      return `has an unknown placeholder "{${m[1]}}" (known: ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`;
    }
  }
  return undefined;
}

/** `name` cut (at code points) so that `name + suffix` fits {@link MAX_ENCODED_NAME} once URI-encoded. */
function fit(name: string, suffix = ''): string {
  const room = MAX_ENCODED_NAME - encodeURIComponent(suffix).length;
  if (encodeURIComponent(name).length <= room) return name + suffix;
  let out = '';
  let used = 0;
  for (const c of name) {
    const n = encodeURIComponent(c).length;
    if (used + n > room) break;
    out += c;
    used += n;
  }
  return out.replace(/-+$/, '') + suffix;
}

/** `raw` with every run of characters a profile name cannot hold (and the dashes around it) made one `-`, trimmed of `-`. */
function sanitise(raw: string): string {
  // NUL marks the replaced runs: the first replace leaves no NUL of the input.
  return raw
    .replace(NOT_NAME_CHARS, '\0')
    .replace(/-*\0(?:-*\0)*-*/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The profile name `template` gives one account and role: `{account}` is the
 * account id, `{account_name}` its name (the id when it has none), `{role}`
 * the bundle role's name. The result holds only characters rolehop accepts in
 * a profile name (see `config/profile-name.ts`): every run of other
 * characters becomes one `-`, and leading and trailing `-` go. It is never
 * empty (then `<account>-<role>`, sanitised the same way), never `__proto__`
 * (then `__proto__-<account>`), and short enough to be a file name.
 *
 * @throws RolehopError ERR_USAGE when the template has a problem ({@link templateProblem}).
 */
export function profileNameFor(template: string, v: { account: string; accountName?: string; role: string }): string {
  const problem = templateProblem(template);
  if (problem) throw templateError(template, problem);
  const values: Record<string, string> = { account: v.account, account_name: v.accountName || v.account, role: v.role };
  const name = sanitise(template.replace(PLACEHOLDER, (_, key: string) => values[key]!)) || sanitise(`${v.account}-${v.role}`) || v.account;
  if (name === RESERVED_NAME) return `${RESERVED_NAME}-${v.account}`;
  return fit(name);
}

function templateError(template: string, problem: string): RolehopError {
  return new RolehopError(ErrorCodes.USAGE, `Profile name template ${quotedName(template)} ${problem}`, {
    hint: `Use ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')} and name characters, e.g. --template '{account_name}-{role}'.`,
  });
}

/** One profile of a generated block. */
export interface GeneratedProfile {
  /** The profile name (`[profile NAME]`). */
  name: string;
  account: string;
  accountName?: string;
  /** The bundle role's name. */
  role: string;
  roleArn: string;
}

/** What {@link configBlock} makes. */
export interface ConfigBlock {
  /** The marker-wrapped block, ending with a newline. */
  text: string;
  /** The profiles of the block, sorted by name. */
  profiles: GeneratedProfile[];
  /** One sentence per name two targets (or a target and the source profile) shared, saying which name the later one got instead. */
  clashes: string[];
  /** One sentence per target left out (an account that is not ACTIVE). */
  notes: string[];
}

/** The first line of a bundle's block. */
export function beginMarker(bundleName: string): string {
  return `# >>> rolehop config generate: bundle ${bundleName} (do not edit inside; rerun to update)`;
}

/** The last line of a bundle's block. */
export function endMarker(bundleName: string): string {
  return `# <<< rolehop config generate: bundle ${bundleName}`;
}

/** Names from an accounts file may hold anything but a newline; a comment line must stay one line and show no control characters. */
const commentSafe = (text: string) => text.replace(/[\p{C}\p{Zl}\p{Zp}]/gu, '?');

const describeAccount = (p: { account: string; accountName?: string }) => `account ${p.account}${p.accountName ? ` (${commentSafe(p.accountName)})` : ''}`;
const describe = (p: { account: string; accountName?: string; role: string }) => `${describeAccount(p)}, role ${p.role}`;

/** Code-unit order: the same on every machine, whatever the locale. */
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The AWS config block of a bundle: for each target account (in input
 * order) and each role in `target.roles`, a `[profile NAME]` section with
 * `role_arn = arn:<partition>:iam::<account>:role<path><name>`,
 * `source_profile = <sourceProfile>`, `region = <region>` when given, and a
 * `# rolehop: bundle …, account …` comment; sections sorted by name, wrapped
 * in {@link beginMarker} and {@link endMarker} lines.
 *
 * Names come from {@link profileNameFor} (`template` defaults to
 * {@link DEFAULT_PROFILE_TEMPLATE}). When a name is already taken, by an
 * earlier target or by `sourceProfile` itself (a profile chained from itself
 * would be a cycle), the later one gets `-<account id>` appended (then `-2`,
 * `-3`… should that be taken too) and `clashes` says so. Unreachable targets
 * (suspended accounts) get no profile and a line in `notes`; a repeated
 * (account, role) pair is listed once.
 *
 * @throws RolehopError ERR_USAGE for a bad template, a `sourceProfile` rolehop
 *   cannot use as a name, or a region that is not a region name; ERR_INTERNAL
 *   when a target names a role the bundle does not have.
 */
export function configBlock(input: {
  bundle: Bundle;
  targets: BundleTarget[];
  sourceProfile: string;
  template?: string;
  region?: string;
  partition?: Partition;
}): ConfigBlock {
  const { bundle, sourceProfile } = input;
  const template = input.template ?? DEFAULT_PROFILE_TEMPLATE;
  const partition = input.partition ?? 'aws';
  const problem = templateProblem(template);
  if (problem) throw templateError(template, problem);
  const sourceProblem = profileNameProblem(sourceProfile);
  if (sourceProblem)
    throw new RolehopError(ErrorCodes.USAGE, `Source profile ${quotedName(sourceProfile)} ${sourceProblem}`, {
      hint: 'Pass --source-profile NAME: the profile of yours that the generated profiles chain from.',
    });
  if (input.region !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(input.region))
    throw new RolehopError(ErrorCodes.USAGE, `Region ${quotedName(input.region)} is not a region name`, {
      hint: "Set the profile's region to a name such as eu-west-1.",
    });

  const roles = new Map(bundle.roles.map((r) => [r.name, r]));
  // Taken names and who took them; the source profile first, so no profile is made its own source.
  const taken = new Map<string, GeneratedProfile | 'source'>([[sourceProfile, 'source']]);
  const seen = new Set<string>();
  const profiles: GeneratedProfile[] = [];
  const clashes: string[] = [];
  const notes: string[] = [];

  for (const target of input.targets) {
    const who = { account: target.account, ...(target.name ? { accountName: target.name } : {}) };
    if (target.unreachable) {
      notes.push(`${describeAccount(who)} left out: ${target.unreachable}`);
      continue;
    }
    for (const roleName of target.roles) {
      const key = `${target.account}\0${roleName}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const role = roles.get(roleName);
      if (!role) throw new RolehopError(ErrorCodes.INTERNAL, `Target ${target.account} names role "${roleName}", which ${bundle.file} does not have`);
      const base = profileNameFor(template, { ...who, role: roleName });
      let name = base;
      for (let n = 1; taken.has(name); n++) name = fit(base, n === 1 ? `-${target.account}` : `-${target.account}-${n}`);
      const profile: GeneratedProfile = { name, ...who, role: roleName, roleArn: `arn:${partition}:iam::${target.account}:role${role.path}${role.name}` };
      if (name !== base) {
        const first = taken.get(base)!;
        clashes.push(
          first === 'source'
            ? `${quotedName(base)} is the source profile; ${describe(profile)} is named ${quotedName(name)} instead`
            : `${quotedName(base)} would name both ${describe(first)} and ${describe(profile)}; the second is named ${quotedName(name)}`,
        );
      }
      taken.set(name, profile);
      profiles.push(profile);
    }
  }
  profiles.sort(byName);

  const lines = [beginMarker(bundle.name)];
  for (const p of profiles) {
    lines.push(
      '',
      `[profile ${p.name}]`,
      `# rolehop: bundle ${bundle.name}, ${describeAccount(p)}`,
      `role_arn = ${p.roleArn}`,
      `source_profile = ${sourceProfile}`,
    );
    if (input.region) lines.push(`region = ${input.region}`);
  }
  lines.push('', endMarker(bundle.name));
  return { text: lines.join('\n') + '\n', profiles, clashes, notes };
}

/** What {@link mergeConfig} makes. */
export interface MergedConfig {
  /** The whole new file. */
  text: string;
  /** True when an earlier block of the bundle was replaced in place; false when the block was appended. */
  replaced: boolean;
  /** Profiles of the block left out because a section of that name exists outside the block (sorted). */
  skipped: string[];
}

interface Line {
  text: string;
  /** Offset of the line's first character. */
  start: number;
  /** Offset just past its line break (the text's length for the last line). */
  end: number;
}

/** The lines of `text` as `parseIni` counts them (any of CRLF, CR, LF), with offsets, so untouched text can be kept byte for byte. */
function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(start, m.index), start, end: m.index + m[0].length });
    start = re.lastIndex;
  }
  out.push({ text: text.slice(start), start, end: text.length });
  return out;
}

const MARKER_START = /^#\s*(>>>|<<<)\s*rolehop config generate\b/;
const BEGIN = /^# >>> rolehop config generate: bundle (\S+) \(do not edit inside; rerun to update\)$/;
const END = /^# <<< rolehop config generate: bundle (\S+)$/;

interface Marker {
  kind: 'begin' | 'end';
  bundle: string;
  /** 0-based line index. */
  index: number;
}

/** Every marker line of `lines`, checked to pair up: one begin, then its own end, each bundle once. */
function markerPairs(lines: Line[], file: string): Map<string, { begin: number; end: number }> {
  const hint =
    'Each "# >>> rolehop config generate: bundle NAME …" line needs one "# <<< rolehop config generate: bundle NAME" line after it, with no other marker between. Fix or remove the marker lines (and what is between them), then rerun.';
  function fail(index: number, message: string): never {
    throw new RolehopError(ErrorCodes.CONFIG_PARSE, `${file}, line ${index + 1}: ${message}`, { hint, details: { file, line: index + 1 } });
  }
  const markers: Marker[] = [];
  lines.forEach((l, index) => {
    const t = l.text.trim();
    if (!MARKER_START.test(t)) return;
    const begin = BEGIN.exec(t);
    const end = END.exec(t);
    if (begin) markers.push({ kind: 'begin', bundle: begin[1]!, index });
    else if (end) markers.push({ kind: 'end', bundle: end[1]!, index });
    else fail(index, 'malformed rolehop marker line');
  });
  const pairs = new Map<string, { begin: number; end: number }>();
  let open: Marker | undefined;
  for (const m of markers) {
    if (m.kind === 'begin') {
      if (open)
        fail(
          m.index,
          `rolehop block of bundle ${m.bundle} begins inside the block of bundle ${open.bundle} (line ${open.index + 1}), which has no end marker before it`,
        );
      const earlier = pairs.get(m.bundle);
      if (earlier) fail(m.index, `second rolehop block of bundle ${m.bundle} (the first begins at line ${earlier.begin + 1})`);
      open = m;
    } else {
      if (!open) fail(m.index, `end marker of bundle ${m.bundle} without a begin marker before it`);
      if (open.bundle !== m.bundle) fail(m.index, `end marker of bundle ${m.bundle} inside the block of bundle ${open.bundle} (line ${open.index + 1})`);
      pairs.set(m.bundle, { begin: open.index, end: m.index });
      open = undefined;
    }
  }
  if (open) fail(open.index, `rolehop block of bundle ${open.bundle} has no end marker`);
  return pairs;
}

/** The name of a section as a profile (`[default]` and `[profile default]` are both `default`), or undefined for other kinds. */
const profileOf = (s: IniSection) => (s.kind === 'profile' || s.kind === 'default' ? s.name : undefined);

/**
 * Merges a {@link configBlock} block into the text of an AWS config file
 * (`file` names it in messages). Pure.
 *
 * - The existing block of `bundleName` is replaced in place; without one,
 *   the block is appended, after one blank line. Text outside the block is
 *   kept byte for byte; the block takes the file's line breaks (CRLF or LF).
 * - A profile of the block whose name a section outside the block already
 *   has (the user's own, or another bundle's block) is left out of the block
 *   and listed in `skipped`: the existing section wins, and the file never
 *   gets a duplicate section, which the AWS CLI would refuse.
 * - The result is checked with `parseIni`.
 *
 * @throws RolehopError ERR_CONFIG_PARSE (naming `file` and the line) when
 *   `existing` does not parse, when its rolehop markers do not pair up (a
 *   begin without end, an end without begin, a bundle's block twice, blocks
 *   inside one another), or when a key line after the block's end marker
 *   would belong to a section inside it. ERR_INTERNAL when `block` is not a
 *   block of `bundleName`.
 */
export function mergeConfig(existing: string, block: string, bundleName: string, file: string): MergedConfig {
  const lines = splitLines(existing);
  const ours = markerPairs(lines, file).get(bundleName);
  const sections = parseIni(existing, file);
  const inside = (line: number) => !!ours && line - 1 > ours.begin && line - 1 < ours.end;

  const existingNames = new Set<string>();
  for (const s of sections) {
    const name = profileOf(s);
    if (name !== undefined && !inside(s.line)) existingNames.add(name);
    if (!ours || s.line - 1 > ours.end) continue;
    // A key written right after the end marker belongs, for the parser, to the last section above it: replacing the block would move it.
    for (const [key, line] of Object.entries(s.keyLines)) {
      if (line - 1 > ours.end)
        throw new RolehopError(
          ErrorCodes.CONFIG_PARSE,
          `${file}, line ${line}: "${key}" after the rolehop block of bundle ${bundleName} has no section header of its own`,
          {
            hint: 'Put the line under a [profile NAME] header of its own, after the end marker, then rerun.',
            details: { file, line },
          },
        );
    }
  }

  const blockLines = block.split(/\r\n|\r|\n/);
  if (blockLines.at(-1) === '') blockLines.pop();
  if (blockLines[0] !== beginMarker(bundleName) || blockLines.at(-1) !== endMarker(bundleName))
    throw new RolehopError(ErrorCodes.INTERNAL, `The generated block is not the block of bundle ${bundleName}`);
  const drop = new Set<number>();
  const skipped: string[] = [];
  const blockSections = parseIni(blockLines.join('\n'), '(generated block)');
  blockSections.forEach((s, i) => {
    const name = profileOf(s);
    if (name === undefined || !existingNames.has(name)) return;
    skipped.push(name);
    const until = (blockSections[i + 1]?.line ?? blockLines.length) - 1;
    for (let k = s.line - 1; k < until; k++) drop.add(k);
  });
  // Removing a section leaves two blank lines where there was one.
  const kept = blockLines.filter((_, k) => !drop.has(k)).filter((l, k, all) => l !== '' || all[k - 1] !== '');

  const eol = /\r\n|\r|\n/.exec(existing)?.[0] ?? '\n';
  const blockText = kept.join(eol) + eol;
  let text: string;
  if (ours) {
    text = existing.slice(0, lines[ours.begin]!.start) + blockText + existing.slice(lines[ours.end]!.end);
  } else if (!existing.replace(/^\uFEFF/, '')) {
    text = blockText;
  } else {
    // By lines, not by a regex on the text: the CR and LF of one CRLF are not two line breaks.
    const endsBreak = lines.length > 1 && lines.at(-1)!.text === '';
    const endsBlank = endsBreak && !lines.at(-2)!.text.trim();
    text = existing + (endsBlank ? '' : endsBreak ? eol : eol + eol) + blockText;
  }
  parseIni(text, file);
  return { text, replaced: !!ours, skipped: skipped.sort() };
}
