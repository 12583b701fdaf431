import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvLine } from './csv.js';

test('fields are quoted only when they hold a comma, a quote, CR or LF; quotes are doubled', () => {
  assert.equal(csvField('plain.example.com'), 'plain.example.com');
  assert.equal(csvField(''), '');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField(' spaced '), ' spaced ', 'spaces are data, not a reason to quote');
});

test('a record is its fields joined by commas and ended by CRLF', () => {
  assert.equal(csvLine(['a', 'b,c', '"']), 'a,"b,c",""""\r\n');
  assert.equal(csvLine([]), '\r\n');
});
