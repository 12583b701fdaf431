import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstInvalidUtf8Line } from './utf8-lines.js';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

test('valid UTF-8, including multi-byte characters and a BOM, has no invalid line', () => {
  assert.equal(firstInvalidUtf8Line(bytes([0xef, 0xbb, 0xbf], '[profile café]\nregion = 東京\n')), undefined);
  assert.equal(firstInvalidUtf8Line(bytes('')), undefined);
});

test('the line of the first invalid byte, with LF, CRLF and lone CR line ends', () => {
  // Latin-1 "é" (0xe9) on line 3.
  assert.equal(firstInvalidUtf8Line(bytes('[default]\nregion = x\nname = caf', [0xe9], '\n')), 3);
  assert.equal(firstInvalidUtf8Line(bytes('a\r\nb\r\n', [0xff], '\r\n')), 3);
  assert.equal(firstInvalidUtf8Line(bytes('a\rb\r', [0xc3])), 3);
  // A truncated sequence at the very end, and an overlong encoding.
  assert.equal(firstInvalidUtf8Line(bytes('a\n', [0xe6, 0x9d])), 2);
  assert.equal(firstInvalidUtf8Line(bytes([0xc0, 0xaf])), 1);
});
