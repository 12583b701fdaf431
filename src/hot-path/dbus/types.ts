// D-Bus values and messages as the Secret Service reader handles them
// (D-Bus specification, "Message Format"), and the signature arithmetic
// both directions share. Encoding is in encode.ts, decoding in decode.ts;
// none of it loads node:net or node:crypto: it sits on the credential_process
// cache-hit path.

/** A D-Bus value as this module encodes and decodes it. */
export type DbusValue = number | boolean | string | DbusValue[] | Uint8Array | Map<DbusValue, DbusValue> | DbusVariant;

/** A variant: a value with its own signature. */
export interface DbusVariant {
  signature: string;
  value: DbusValue;
}

/** Message types (D-Bus specification, "Message Format"). */
export const MessageType = { METHOD_CALL: 1, METHOD_RETURN: 2, ERROR: 3, SIGNAL: 4 } as const;

/** A method call to send. */
export interface MethodCall {
  serial: number;
  destination: string;
  path: string;
  interface: string;
  member: string;
  /** Body signature; empty for no arguments. */
  signature?: string;
  body?: DbusValue[];
}

/** A decoded incoming message. */
export interface DbusMessage {
  type: number;
  serial: number;
  replySerial?: number;
  errorName?: string;
  member?: string;
  signature: string;
  body: DbusValue[];
}

/** Header field codes. */
export const FIELD = { PATH: 1, INTERFACE: 2, MEMBER: 3, ERROR_NAME: 4, REPLY_SERIAL: 5, DESTINATION: 6, SENDER: 7, SIGNATURE: 8 } as const;

/** Largest message we accept; the specification's own limit is 128 MiB, a secret read needs a few KiB. */
export const MAX_MESSAGE_BYTES = 1 << 20;

/** Splits a signature into its complete types: `a{ss}o` becomes `['a{ss}', 'o']`. */
export function splitSignature(sig: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < sig.length) {
    const end = typeEnd(sig, i);
    out.push(sig.slice(i, end));
    i = end;
  }
  return out;
}

function typeEnd(sig: string, i: number): number {
  const c = sig[i];
  if (c === 'a') return typeEnd(sig, i + 1);
  if (c === '(' || c === '{') {
    const close = c === '(' ? ')' : '}';
    let j = i + 1;
    while (sig[j] !== close) {
      if (j >= sig.length) throw new Error(`unterminated type in signature "${sig}"`);
      j = typeEnd(sig, j);
    }
    return j + 1;
  }
  if (c === undefined || !'ybnqiuxtdsogvh'.includes(c)) throw new Error(`unsupported type "${c}" in signature "${sig}"`);
  return i + 1;
}

/** The alignment of a complete type's first byte. */
export function alignOf(type: string): number {
  switch (type[0]) {
    case 'y':
    case 'g':
    case 'v':
      return 1;
    case 'n':
    case 'q':
      return 2;
    case 'x':
    case 't':
    case 'd':
    case '(':
    case '{':
      return 8;
    default:
      return 4;
  }
}
