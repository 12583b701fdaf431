// Replies, errors and signals in, in either byte order; bounded by
// MAX_MESSAGE_BYTES and strict about truncation.
import { alignOf, FIELD, MAX_MESSAGE_BYTES, splitSignature, type DbusMessage, type DbusValue, type DbusVariant } from './types.js';

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
