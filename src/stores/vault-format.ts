import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { deriveMasterKey, kdfCacheKey, parseKdfSpec, type KdfSpec } from './kdf.js';

/*
 * The file vault format, version 1: one JSON envelope
 *   { format: 'rolehop-vault', version: 1,
 *     kdf: { name, params, salt }, check, headerSum, iv, tag, data }   (binary fields base64)
 * `data` is AES-256-GCM over the JSON `{ "entries": { id: value } }`, so ids
 * are as hidden as values. The header (format, version, kdf) is the GCM
 * associated data: editing it breaks the tag. `check` is an HMAC of a constant
 * under its own subkey, which tells a wrong passphrase (check differs) from a
 * damaged file (check matches, GCM or JSON fails) without trial decryption.
 *
 * `headerSum` (added within version 1, optional when reading) is a truncated
 * SHA-256 over the header and `check`. Without it, damage to the salt, the
 * KDF parameters or `check` is indistinguishable from a wrong passphrase:
 * every one of them changes the derived keys or the value they are compared
 * with. It is not a MAC (anyone can recompute it); authenticity still comes
 * from GCM and `check`. Readers that predate it ignore the unknown field.
 */

/** The `format` tag of a vault file. */
export const VAULT_FORMAT = 'rolehop-vault';
/** The newest (and only) format version this code writes and reads. */
export const VAULT_VERSION = 1;

const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENC_INFO = 'rolehop-vault v1 encryption';
const CHECK_INFO = 'rolehop-vault v1 passphrase check';
const CHECK_CONSTANT = 'rolehop-vault passphrase check';
const HEADER_SUM_BYTES = 16;

/** Keys of one vault, derived from the passphrase and the vault's KDF header. */
export interface VaultKeys {
  readonly spec: KdfSpec;
  readonly salt: Buffer;
  /** AES-256-GCM key for `data`. */
  readonly enc: Buffer;
  /** HMAC key for `check`. */
  readonly check: Buffer;
}

/** The parts of a vault file needed to pick keys and open it. */
export interface VaultEnvelope {
  readonly spec: KdfSpec;
  readonly salt: Buffer;
  readonly check: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly data: Buffer;
  /** True when the file carried a `headerSum` and it matched: a failed check is then a wrong passphrase, not damage. */
  readonly headerChecked: boolean;
}

/** Outcome of reading a vault: entries, or why not (never a secret in `detail`). */
export type OpenResult =
  | { ok: true; entries: Map<string, string> }
  | { ok: false; reason: 'passphrase' | 'corrupt'; detail: string; /** See {@link VaultEnvelope.headerChecked}. */ headerChecked?: boolean };

/** A fresh random salt for a new vault. */
export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

/** Runs the (slow) KDF once and splits the result into independent subkeys. */
export async function deriveVaultKeys(passphrase: string, spec: KdfSpec, salt: Buffer): Promise<VaultKeys> {
  const master = await deriveMasterKey(passphrase, salt, spec);
  try {
    const sub = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
    return { spec, salt, enc: sub(ENC_INFO), check: sub(CHECK_INFO) };
  } finally {
    master.fill(0);
  }
}

/** Parses a vault file's text; `corrupt` when it is not a well-formed v1 envelope. */
export function parseEnvelope(raw: string): { ok: true; envelope: VaultEnvelope } | { ok: false; reason: 'corrupt'; detail: string } {
  const bad = (detail: string) => ({ ok: false as const, reason: 'corrupt' as const, detail });
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return bad('not valid JSON (truncated or overwritten)');
  }
  if (typeof j !== 'object' || j === null || j.format !== VAULT_FORMAT) return bad('not a rolehop vault');
  if (j.version !== VAULT_VERSION) return bad(`unsupported vault version ${String(j.version)}`);
  const kdf = j.kdf as Record<string, unknown> | undefined;
  const spec = kdf && parseKdfSpec(kdf.name, kdf.params);
  if (!kdf || !spec) return bad('unknown or invalid key derivation parameters');
  const salt = b64(kdf.salt);
  const check = b64(j.check);
  const iv = b64(j.iv);
  const tag = b64(j.tag);
  const data = b64(j.data);
  if (!salt || salt.length < 8 || check?.length !== 32 || iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !data) {
    return bad('missing or malformed fields');
  }
  if (j.headerSum !== undefined) {
    const sum = b64(j.headerSum);
    if (sum?.length !== HEADER_SUM_BYTES || !timingSafeEqual(sum, headerSum(spec, salt, check))) {
      return bad('header checksum mismatch: the KDF parameters, salt or check value are damaged');
    }
  }
  return { ok: true, envelope: { spec, salt, check, iv, tag, data, headerChecked: j.headerSum !== undefined } };
}

/** Decrypts an envelope. `passphrase` when `keys` do not match its check value; `corrupt` when they do but the content is damaged. */
export function openEnvelope(env: VaultEnvelope, keys: VaultKeys): OpenResult {
  if (!timingSafeEqual(checkValue(keys), env.check))
    return { ok: false, reason: 'passphrase', detail: 'passphrase check failed', headerChecked: env.headerChecked };
  let plain: Buffer;
  try {
    const d = createDecipheriv('aes-256-gcm', keys.enc, env.iv);
    d.setAAD(associatedData(env.spec, env.salt));
    d.setAuthTag(env.tag);
    plain = Buffer.concat([d.update(env.data), d.final()]);
  } catch {
    return { ok: false, reason: 'corrupt', detail: 'authentication failed (content damaged)' };
  }
  try {
    const parsed = JSON.parse(plain.toString('utf8')) as { entries?: unknown };
    const entries = new Map<string, string>();
    if (typeof parsed.entries !== 'object' || parsed.entries === null) throw new Error('no entries');
    for (const [id, value] of Object.entries(parsed.entries)) {
      if (typeof value !== 'string') throw new Error('bad entry');
      entries.set(id, value);
    }
    return { ok: true, entries };
  } finally {
    plain.fill(0);
  }
}

/** Encrypts `entries` into the text of a vault file under `keys` (fresh IV each time). */
export function sealEntries(entries: ReadonlyMap<string, string>, keys: VaultKeys): string {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv('aes-256-gcm', keys.enc, iv);
  c.setAAD(associatedData(keys.spec, keys.salt));
  const plain = Buffer.from(JSON.stringify({ entries: Object.fromEntries(entries) }), 'utf8');
  const data = Buffer.concat([c.update(plain), c.final()]);
  plain.fill(0);
  const check = checkValue(keys);
  const envelope = {
    format: VAULT_FORMAT,
    version: VAULT_VERSION,
    kdf: { name: keys.spec.name, params: keys.spec.params, salt: keys.salt.toString('base64') },
    check: check.toString('base64'),
    headerSum: headerSum(keys.spec, keys.salt, check).toString('base64'),
    iv: iv.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

function checkValue(keys: VaultKeys): Buffer {
  return createHmac('sha256', keys.check).update(CHECK_CONSTANT).digest();
}

/** Detects accidental damage to what the keys are derived from and compared with; over parsed values, so re-indenting the JSON keeps it valid. */
function headerSum(spec: KdfSpec, salt: Buffer, check: Buffer): Buffer {
  return createHash('sha256').update(associatedData(spec, salt)).update('/').update(check).digest().subarray(0, HEADER_SUM_BYTES);
}

/** The header as GCM associated data, rebuilt canonically from parsed values. */
function associatedData(spec: KdfSpec, salt: Buffer): Buffer {
  return Buffer.from(`${VAULT_FORMAT}/${VAULT_VERSION}/${kdfCacheKey(spec, salt)}`, 'utf8');
}

function b64(v: unknown): Buffer | undefined {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return undefined;
  return Buffer.from(v, 'base64');
}
