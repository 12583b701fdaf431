import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from './decode.js';
import { encodeMethodCall } from './encode.js';
import { MessageType, splitSignature } from './types.js';
import { socketPathFromAddress } from '../secret-service-reader.js';

// A real reply from dbus-daemon to Hello (captured with strace): a
// METHOD_RETURN for serial 1, signature "s", body the unique name.
const HELLO_REPLY = Buffer.from(
  'l\x02\x01\x01\x0b\x00\x00\x00\x01\x00\x00\x00=\x00\x00\x00' +
    '\x06\x01s\x00\x06\x00\x00\x00:1.255\x00\x00' +
    '\x05\x01u\x00\x01\x00\x00\x00' +
    '\x08\x01g\x00\x01s\x00\x00' +
    '\x07\x01s\x00\x14\x00\x00\x00org.freedesktop.DBus\x00\x00\x00\x00' +
    '\x06\x00\x00\x00:1.255\x00',
  'latin1',
);

describe('dbus-wire', () => {
  it('splits signatures into complete types', () => {
    assert.deepEqual(splitSignature('sv'), ['s', 'v']);
    assert.deepEqual(splitSignature('a{ss}o'), ['a{ss}', 'o']);
    assert.deepEqual(splitSignature('(oayays)aoao'), ['(oayays)', 'ao', 'ao']);
    assert.throws(() => splitSignature('a{ss'), /unterminated/);
    assert.throws(() => splitSignature('q?'), /unsupported/);
  });

  it('decodes a real dbus-daemon reply', () => {
    const d = decodeMessage(HELLO_REPLY);
    assert.ok(d);
    assert.equal(d.size, HELLO_REPLY.length);
    assert.equal(d.message.type, MessageType.METHOD_RETURN);
    assert.equal(d.message.replySerial, 1);
    assert.deepEqual(d.message.body, [':1.255']);
  });

  it('waits for a whole message and reports how much it used', () => {
    assert.equal(decodeMessage(HELLO_REPLY.subarray(0, 10)), undefined);
    assert.equal(decodeMessage(HELLO_REPLY.subarray(0, HELLO_REPLY.length - 1)), undefined);
    const two = Buffer.concat([HELLO_REPLY, HELLO_REPLY.subarray(0, 20)]);
    assert.equal(decodeMessage(two)?.size, HELLO_REPLY.length);
  });

  it('round-trips the calls a Secret Service read makes', () => {
    const cases = [
      { member: 'OpenSession', signature: 'sv', body: ['plain', { signature: 's', value: '' }] },
      {
        member: 'SearchItems',
        signature: 'a{ss}',
        body: [
          new Map([
            ['service', 'rolehop:abc'],
            ['username', 'cache-key'],
          ]),
        ],
      },
      { member: 'GetSecret', signature: 'o', body: ['/org/freedesktop/secrets/session/s7'] },
      { member: 'Mixed', signature: '(oayays)aoub', body: [['/s', new Uint8Array([]), new Uint8Array([1, 2, 3]), 'text/plain'], ['/a', '/b'], 7, true] },
      { member: 'Hello', signature: undefined, body: undefined },
    ];
    cases.forEach((c, i) => {
      const bytes = encodeMethodCall({
        serial: i + 1,
        destination: 'org.freedesktop.secrets',
        path: '/org/freedesktop/secrets',
        interface: 'org.freedesktop.Secret.Service',
        member: c.member,
        ...(c.signature ? { signature: c.signature, body: c.body } : {}),
      });
      const d = decodeMessage(bytes);
      assert.ok(d, c.member);
      assert.equal(d.size, bytes.length);
      assert.equal(d.message.type, MessageType.METHOD_CALL);
      assert.equal(d.message.serial, i + 1);
      assert.equal(d.message.member, c.member);
      assert.equal(d.message.signature, c.signature ?? '');
      assert.deepEqual(d.message.body, c.body ?? []);
    });
  });

  it('decodes big-endian messages too', () => {
    const le = encodeMethodCall({ serial: 9, destination: 'd', path: '/p', interface: 'i.f', member: 'M', signature: 'u', body: [258] });
    // Rewrite as big-endian: flip the header's fixed uint32s, the field array length and the body.
    const be = Buffer.from(le);
    be[0] = 0x42;
    for (const at of [4, 8, 12]) be.writeUInt32BE(Buffer.from(le).readUInt32LE(at), at);
    const fieldsEnd = 16 + Buffer.from(le).readUInt32LE(12);
    // Field values: the strings' uint32 lengths sit at 4-aligned offsets after "\x0?\x01s\x00" / "o".
    let p = 16;
    while (p < fieldsEnd) {
      p += (8 - (p % 8)) % 8;
      const sigChar = String.fromCharCode(be[p + 2]!);
      p += 4;
      if (sigChar === 'g') {
        p += 1 + be[p]! + 1;
      } else {
        const n = Buffer.from(le).readUInt32LE(p);
        be.writeUInt32BE(n, p);
        p += 4 + n + 1;
      }
    }
    const bodyAt = be.length - 4;
    be.writeUInt32BE(258, bodyAt);
    const d = decodeMessage(be);
    assert.equal(d?.message.serial, 9);
    assert.deepEqual(d?.message.body, [258]);
  });

  it('refuses what is not a D-Bus message or claims to be huge', () => {
    assert.throws(() => decodeMessage(Buffer.from('HTTP/1.1 200 OK\r\n\r\n')), /not a D-Bus message/);
    const huge = Buffer.from(HELLO_REPLY);
    huge.writeUInt32LE(64 << 20, 4);
    assert.throws(() => decodeMessage(huge), /too long/);
  });

  it('reads Unix socket paths from bus addresses', () => {
    assert.equal(socketPathFromAddress('unix:path=/run/user/1000/bus'), '/run/user/1000/bus');
    assert.equal(socketPathFromAddress('unix:path=/tmp/a%20b,guid=0123'), '/tmp/a b');
    assert.equal(socketPathFromAddress('unix:abstract=/tmp/dbus-XYZ,guid=1'), '\0/tmp/dbus-XYZ');
    assert.equal(socketPathFromAddress('tcp:host=127.0.0.1,port=1;unix:path=/x'), '/x');
    assert.equal(socketPathFromAddress('tcp:host=127.0.0.1,port=1'), undefined);
    assert.equal(socketPathFromAddress('unix:runtime=yes'), undefined);
  });
});
