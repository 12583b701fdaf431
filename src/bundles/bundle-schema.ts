import { z } from 'zod';
import { OWNER_TAG_KEY } from './model.js';

/**
 * The zod schema of a bundle file as written (camelCase keys, before
 * defaults). Every object is strict: an unknown key is a mistake (a typo, a
 * snake_case key, a key at the wrong level), never something to ignore.
 * Defaults that depend on other keys (`identityAccount`, the bundle path) are
 * applied by `bundle-file.ts`; this file only says what is allowed.
 *
 * Messages are short phrases that follow "<key path>: " in an error line.
 */

/** A 12-digit AWS account id, as a string (YAML reads unquoted digits as a number). */
const ACCOUNT_ID = /^\d{12}$/;
/** IAM role, group and inline policy name characters. */
const IAM_NAME = /^[\w+=,.@-]+$/;
/** An IAM path: `/` or `/a/b/`, printable ASCII. */
const IAM_PATH = /^\/(?:[\u0021-\u007e]*\/)?$/;
/** Placeholders a policy ARN may contain, filled in per account when the role is built. */
const PARTITION_PART = String.raw`(?:\$\{partition\}|aws|aws-cn|aws-us-gov)`;
const POLICY_ARN = new RegExp(String.raw`^arn:${PARTITION_PART}:iam::(?:\$\{account\}|\d{12}|aws):policy/(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,128}$`);
/** A short AWS managed policy name, optionally with its path: `ReadOnlyAccess`, `job-function/ViewOnlyAccess`. */
const SHORT_MANAGED_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;
const PRINCIPAL_ARN = new RegExp(String.raw`^arn:${PARTITION_PART}:iam::\d{12}:(?:user|role)/(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$`);
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** Organizations OU (`ou-…`) or root (`r-…`) id. */
const OU_OR_ROOT_ID = /^(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
/** IAM tag key and value characters (letters, digits, spaces and `_.:/=+-@`, any script). */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** The role name placeholder of `identity.policyName`. */
const ROLE_PLACEHOLDER = '{role}';

/**
 * The ARN a managed policy reference stands for: a full ARN unchanged, a
 * short name as the AWS managed policy of that name in the role's partition.
 */
export function managedPolicyArn(ref: string): string {
  return ref.startsWith('arn:') ? ref : `arn:\${partition}:iam::aws:policy/${ref}`;
}

const accountId = z.string().regex(ACCOUNT_ID, 'must be a 12-digit account id');
const accountIds = z.array(accountId);

const policyRef = z
  .string()
  .refine((s) => (s.startsWith('arn:') ? POLICY_ARN.test(s) : SHORT_MANAGED_NAME.test(s)), {
    error: 'must be a policy ARN (arn:${partition}:iam::${account}:policy/Name) or an AWS managed policy name (ReadOnlyAccess, job-function/ViewOnlyAccess)',
  })
  .transform(managedPolicyArn);

const stringMap = z.record(z.string(), z.string());

/** Which accounts a bundle or a role applies to. */
const accountFilter = z.strictObject({
  ous: z.array(z.string().regex(OU_OR_ROOT_ID, 'must be an OU id (ou-…) or a root id (r-…)')).optional(),
  tags: stringMap.optional(),
  names: z.array(z.string().min(1, 'must not be empty')).optional(),
  accounts: accountIds.optional(),
  exclude: accountIds.optional(),
});

/** A string or a non-empty list of strings (`Action`, `Resource`, ...). */
const oneOrMore = z.union([z.string().min(1, 'must not be empty'), z.array(z.string().min(1, 'must not be empty')).min(1, 'must not be an empty list')]);

/** One statement of an inline (identity) policy: no Principal, exactly one of each pair. */
const statement = z
  .strictObject({
    Sid: z
      .string()
      .regex(/^[A-Za-z0-9]*$/, 'must be letters and digits only')
      .optional(),
    Effect: z.enum(['Allow', 'Deny'], { error: 'must be Allow or Deny' }),
    Action: oneOrMore.optional(),
    NotAction: oneOrMore.optional(),
    Resource: oneOrMore.optional(),
    NotResource: oneOrMore.optional(),
    Condition: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  })
  .superRefine((s, ctx) => {
    for (const [a, b] of [
      ['Action', 'NotAction'],
      ['Resource', 'NotResource'],
    ] as const) {
      if (s[a] === undefined && s[b] === undefined) ctx.addIssue({ code: 'custom', path: [a], message: `required (or ${b})` });
      if (s[a] !== undefined && s[b] !== undefined) ctx.addIssue({ code: 'custom', path: [b], message: `cannot be given together with ${a}` });
    }
  });

/** An inline policy document, written as a YAML map. */
const policyDocument = z.strictObject({
  Version: z.enum(['2012-10-17', '2008-10-17'], { error: 'must be "2012-10-17"' }).optional(),
  Id: z.string().optional(),
  Statement: z.union([statement, z.array(statement).min(1, 'must not be an empty list')]),
});

const tags = stringMap.superRefine((t, ctx) => {
  for (const [k, v] of Object.entries(t)) {
    if (k === OWNER_TAG_KEY) ctx.addIssue({ code: 'custom', path: [k], message: `is reserved: rolehop sets it to the bundle's name` });
    else if (/^aws:/i.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: 'tag keys starting with "aws:" are reserved by AWS' });
    else if (k.length < 1 || k.length > 128 || !TAG_CHARS.test(k))
      ctx.addIssue({ code: 'custom', path: [k], message: 'tag keys are 1–128 letters, digits, spaces or _.:/=+-@' });
    else if (v.length > 256 || !TAG_CHARS.test(v))
      ctx.addIssue({ code: 'custom', path: [k], message: 'tag values are up to 256 letters, digits, spaces or _.:/=+-@' });
  }
});

const iamPath = z
  .string()
  .max(512, 'must be at most 512 characters')
  .regex(IAM_PATH, 'must start and end with "/" (e.g. /rolehop/), printable ASCII without spaces');

const trust = z.strictObject({
  accounts: accountIds.min(1, 'must name at least one account').optional(),
  principals: z
    .array(z.string().regex(PRINCIPAL_ARN, 'must be a user or role ARN (arn:aws:iam::111111111111:role/Name)'))
    .min(1, 'must not be an empty list')
    .optional(),
  mfa: z.boolean().optional(),
  maxMfaAgeSeconds: z.number().int('must be a whole number of seconds').positive('must be positive').optional(),
  externalId: z.string().regex(EXTERNAL_ID, 'must be 2–1224 characters of letters, digits and _+=,.@:/-').optional(),
});

const role = z.strictObject({
  name: z.string().max(64, 'must be at most 64 characters').regex(IAM_NAME, 'must be 1–64 letters, digits or _+=,.@-'),
  description: z
    .string()
    .max(1000, 'must be at most 1000 characters')
    // IAM accepts tab, newline and Latin-1 printable characters only.
    .regex(/^[\t\n\r\u0020-\u007e\u00a1-\u00ff]*$/, 'must use printable Latin-1 characters only')
    .optional(),
  path: iamPath.optional(),
  trust: trust.optional(),
  managedPolicies: z.array(policyRef).optional(),
  inlinePolicies: z
    .record(z.string().max(128, 'policy names are at most 128 characters').regex(IAM_NAME, 'policy names are letters, digits or _+=,.@-'), policyDocument)
    .optional(),
  permissionsBoundary: policyRef.optional(),
  maxSessionDuration: z.number().int('must be a whole number of seconds').optional(),
  tags: tags.optional(),
  accounts: accountFilter.optional(),
});

const identity = z.strictObject({
  groups: z.record(z.string(), z.array(z.string())).optional(),
  policyName: z
    .string()
    .refine((s) => IAM_NAME.test(s.replaceAll(ROLE_PLACEHOLDER, 'x')), { error: 'must be letters, digits or _+=,.@- with {role} for the role name' })
    .optional(),
  mfaGuard: z.boolean().optional(),
});

/** The whole file. Cross-key rules (what needs `identityAccount`) are checked here too, so they get a line. */
export const bundleFileSchema = z
  .strictObject({
    version: z.literal(1, { error: 'must be 1' }),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits or _.-')
      .optional(),
    identityAccount: accountId.optional(),
    path: iamPath.optional(),
    accounts: accountFilter.optional(),
    roles: z.array(role).min(1, 'must list at least one role'),
    identity: identity.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.identityAccount !== undefined) return;
    f.roles.forEach((r, i) => {
      if (r.trust?.accounts === undefined) {
        ctx.addIssue({ code: 'custom', path: ['roles', i, 'trust', 'accounts'], message: 'required when identityAccount is not given' });
      }
    });
    if (f.identity !== undefined) ctx.addIssue({ code: 'custom', path: ['identity'], message: 'needs identityAccount' });
  });

/** A bundle file as written, validated, with short managed policy names turned into ARNs. */
export type BundleFile = z.output<typeof bundleFileSchema>;

/** Keys an object of the schema accepts at `path` (numbers for list items), for "did you mean"; empty when unknown. */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schemas: z.ZodType[] = alternatives(bundleFileSchema);
  for (const seg of path) schemas = schemas.flatMap((s) => childOf(s, seg)).flatMap(alternatives);
  return [...new Set(schemas.flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : [])))];
}

/** The concrete schemas a value may match: optional and transforms unwrapped, unions expanded. */
function alternatives(s: z.ZodType): z.ZodType[] {
  if (s instanceof z.ZodOptional) return alternatives(s.unwrap() as z.ZodType);
  if (s instanceof z.ZodPipe) return alternatives(s.in as z.ZodType);
  if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).flatMap(alternatives);
  return [s];
}

function childOf(s: z.ZodType, seg: PropertyKey): z.ZodType[] {
  if (s instanceof z.ZodObject && typeof seg === 'string') {
    const child = (s.shape as Record<string, z.ZodType>)[seg];
    return child ? [child] : [];
  }
  if (s instanceof z.ZodArray && typeof seg === 'number') return [s.element as z.ZodType];
  if (s instanceof z.ZodRecord && typeof seg === 'string') return [s.valueType as z.ZodType];
  return [];
}
