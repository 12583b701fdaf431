import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { guardHeaders, secretMatcher, transportRefusal } from './http-guards.js';

describe('secretMatcher', () => {
  const token = randomBytes(32).toString('base64url');
  const matches = secretMatcher(token);

  it('accepts exactly the token, every time', () => {
    assert.equal(matches(token), true);
    assert.equal(matches(String(token)), true);
  });

  it('refuses anything else: absent, empty, shorter, longer, one character off, same length in other bytes', () => {
    assert.equal(matches(undefined), false);
    assert.equal(matches(''), false);
    assert.equal(matches(token.slice(1)), false);
    assert.equal(matches(token + 'A'), false);
    assert.equal(matches((token[0] === 'A' ? 'B' : 'A') + token.slice(1)), false);
    // 42 ASCII characters plus one 2-byte character: 43 characters, 44 bytes.
    assert.equal(matches(token.slice(0, 42) + 'é'), false);
    // Characters that latin1 would fold onto the token's bytes must not match.
    assert.equal(matches([...token].map((c) => String.fromCharCode(c.charCodeAt(0) + 256)).join('')), false);
  });
});

describe('guardHeaders: proxy headers', () => {
  const req = (rawHeaders: string[]) => ({ rawHeaders }) as unknown as IncomingMessage;
  const proxyHeaders = [
    'X-Forwarded-For',
    'Forwarded',
    'Via',
    'X-Forwarded-Host',
    'X-Forwarded-Proto',
    'X-Forwarded-Port',
    'X-Forwarded-Server',
    'X-Real-IP',
    'X-Client-IP',
    'True-Client-IP',
    'X-Original-Forwarded-For',
    'CF-Connecting-IP',
    'Fastly-Client-IP',
    'X-Cluster-Client-IP',
  ];

  for (const name of proxyHeaders) {
    it(`refuses ${name}, in any case`, () => {
      for (const spelled of [name, name.toLowerCase(), name.toUpperCase()]) {
        const h = guardHeaders(req(['Host', '127.0.0.1:1', spelled, '127.0.0.1']));
        assert.equal(transportRefusal(h, '127.0.0.1:1'), 'forwarded requests are refused', spelled);
      }
    });
  }

  it('lets ordinary headers through', () => {
    const h = guardHeaders(req(['Host', '127.0.0.1:1', 'User-Agent', 'aws-cli', 'Accept', '*/*', 'Connection', 'keep-alive', 'X-Amz-Date', 'x']));
    assert.equal(transportRefusal(h, '127.0.0.1:1'), undefined);
  });
});
