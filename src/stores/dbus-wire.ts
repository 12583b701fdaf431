// The D-Bus wire format, only as much of it as a Secret Service read needs:
// method calls out, replies, errors and signals in. Kept free of node:net and
// node:crypto because it sits on the credential_process cache-hit path.

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

const FIELD = { PATH: 1, INTERFACE: 2, MEMBER: 3, ERROR_NAME: 4, REPLY_SERIAL: 5, DESTINATION: 6, SENDER: 7, SIGNATURE: 8 } as const;

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

function alignOf(type: string): number {
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

const utf8 = new TextEncoder();

/** Little-endian writer that grows as needed. */
class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  align(n: number): void {
    const pad = (n - (this.len % n)) % n;
    this.room(pad);
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v;
  }

  u32(v: number): void {
    this.align(4);
    this.room(4);
    this.view.setUint32(this.len, v, true);
    this.len += 4;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  value(type: string, v: DbusValue): void {
    switch (type[0]) {
      case 'y':
        return this.u8(v as number);
      case 'b':
        return this.u32(v ? 1 : 0);
      case 'u':
        return this.u32(v as number);
      case 's':
      case 'o': {
        const b = utf8.encode(v as string);
        this.u32(b.length);
        this.bytes(b);
        return this.u8(0);
      }
      case 'g': {
        const b = utf8.encode(v as string);
        this.u8(b.length);
        this.bytes(b);
        return this.u8(0);
      }
      case 'v': {
        const { signature, value } = v as DbusVariant;
        this.value('g', signature);
        return this.value(signature, value);
      }
      case 'a': {
        const elem = type.slice(1);
        this.u32(0);
        const at = this.len - 4;
        this.align(alignOf(elem));
        const start = this.len;
        if (elem[0] === '{') {
          const [kt, vt] = splitSignature(elem.slice(1, -1)) as [string, string];
          for (const [k, val] of v as Map<DbusValue, DbusValue>) {
            this.align(8);
            this.value(kt, k);
            this.value(vt, val);
          }
        } else if (elem === 'y') {
          this.bytes(v as Uint8Array);
        } else {
          for (const item of v as DbusValue[]) this.value(elem, item);
        }
        this.view.setUint32(at, this.len - start, true);
        return;
      }
      case '(': {
        this.align(8);
        const parts = splitSignature(type.slice(1, -1));
        parts.forEach((t, i) => this.value(t, (v as DbusValue[])[i]!));
        return;
      }
      default:
        throw new Error(`cannot encode type "${type}"`);
    }
  }
}

/** Encodes a method call as one little-endian message. */
export function encodeMethodCall(call: MethodCall): Uint8Array {
  const signature = call.signature ?? '';
  const body = new Writer();
  const types = splitSignature(signature);
  types.forEach((t, i) => body.value(t, call.body?.[i] as DbusValue));

  const w = new Writer();
  w.bytes(new Uint8Array([0x6c /* 'l' */, MessageType.METHOD_CALL, 0, 1]));
  w.u32(body.len);
  w.u32(call.serial);
  const fields: DbusValue[] = [
    [FIELD.PATH, { signature: 'o', value: call.path }],
    [FIELD.INTERFACE, { signature: 's', value: call.interface }],
    [FIELD.MEMBER, { signature: 's', value: call.member }],
    [FIELD.DESTINATION, { signature: 's', value: call.destination }],
  ];
  if (signature) fields.push([FIELD.SIGNATURE, { signature: 'g', value: signature }]);
  w.value('a(yv)', fields);
  w.align(8);
  w.bytes(body.buf.subarray(0, body.len));
  return w.buf.slice(0, w.len);
}

/** Reader over one message; `little` is the message's own byte order. */
class Reader {
  pos: number;
  constructor(
    private readonly view: DataView,
    private readonly bytes: Uint8Array,
    private readonly little: boolean,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new Error('truncated D-Bus message');
  }

  align(n: number): void {
    this.pos += (n - (this.pos % n)) % n;
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    this.align(4);
    this.need(4);
    const v = this.view.getUint32(this.pos, this.little);
    this.pos += 4;
    return v;
  }

  text(n: number): string {
    this.need(n + 1);
    const s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, n).toString('utf8');
    this.pos += n + 1;
    return s;
  }

  value(type: string): DbusValue {
    switch (type[0]) {
      case 'y':
        return this.u8();
      case 'b':
        return this.u32() !== 0;
      case 'u':
        return this.u32();
      case 'i': {
        const v = this.u32();
        return v | 0;
      }
      case 's':
      case 'o':
        return this.text(this.u32());
      case 'g':
        return this.text(this.u8());
      case 'v': {
        const signature = this.value('g') as string;
        if (splitSignature(signature).length !== 1) throw new Error('malformed variant');
        return { signature, value: this.value(signature) };
      }
      case 'a': {
        const elem = type.slice(1);
        const n = this.u32();
        if (n > MAX_MESSAGE_BYTES) throw new Error('D-Bus array too long');
        this.align(alignOf(elem));
        const stop = this.pos + n;
        if (stop > this.end) throw new Error('truncated D-Bus message');
        if (elem === 'y') {
          const out = this.bytes.slice(this.pos, stop);
          this.pos = stop;
          return out;
        }
        if (elem[0] === '{') {
          const [kt, vt] = splitSignature(elem.slice(1, -1)) as [string, string];
          const m = new Map<DbusValue, DbusValue>();
          while (this.pos < stop) {
            this.align(8);
            const k = this.value(kt);
            m.set(k, this.value(vt));
          }
          return m;
        }
        const out: DbusValue[] = [];
        while (this.pos < stop) out.push(this.value(elem));
        return out;
      }
      case '(': {
        this.align(8);
        return splitSignature(type.slice(1, -1)).map((t) => this.value(t));
      }
      default:
        throw new Error(`cannot decode type "${type}"`);
    }
  }
}

/**
 * Decodes the first complete message in `buf`. Returns undefined when `buf`
 * does not hold a whole message yet, otherwise the message and the number of
 * bytes it used. Throws on a malformed or oversized message.
 */
export function decodeMessage(buf: Uint8Array): { message: DbusMessage; size: number } | undefined {
  if (buf.length < 16) return undefined;
  const endian = buf[0];
  if (endian !== 0x6c && endian !== 0x42) throw new Error('not a D-Bus message');
  const little = endian === 0x6c;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const bodyLen = view.getUint32(4, little);
  const fieldsLen = view.getUint32(12, little);
  const headerLen = 16 + fieldsLen + ((8 - ((16 + fieldsLen) % 8)) % 8);
  const size = headerLen + bodyLen;
  if (size > MAX_MESSAGE_BYTES) throw new Error('D-Bus message too long');
  if (buf.length < size) return undefined;

  const r = new Reader(view, buf, little, 12, headerLen);
  const fields = r.value('a(yv)') as Array<[number, DbusVariant]>;
  const message: DbusMessage = { type: buf[1]!, serial: view.getUint32(8, little), signature: '', body: [] };
  for (const [code, v] of fields) {
    if (code === FIELD.REPLY_SERIAL) message.replySerial = v.value as number;
    else if (code === FIELD.ERROR_NAME) message.errorName = v.value as string;
    else if (code === FIELD.MEMBER) message.member = v.value as string;
    else if (code === FIELD.SIGNATURE) message.signature = v.value as string;
  }
  const b = new Reader(view, buf, little, headerLen, size);
  // Body alignment is relative to the message start, which headerLen keeps.
  message.body = splitSignature(message.signature).map((t) => b.value(t));
  return { message, size };
}
