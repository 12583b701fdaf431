// Method calls out, as one little-endian message: only the types a Secret
// Service read sends (y b u s o g v, arrays, dict entries, structs).
import { alignOf, FIELD, MessageType, splitSignature, type DbusValue, type DbusVariant, type MethodCall } from './types.js';

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
