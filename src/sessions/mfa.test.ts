import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes, isRolehopError } from '../errors.js';
import { normalizeMfaCode, obtainMfaCode } from './mfa.js';

describe('normalizeMfaCode', () => {
  it('takes six digits, with surrounding whitespace and spaces between the digits dropped', () => {
    for (const [raw, code] of [
      ['123456', '123456'],
      [' 123456 ', '123456'],
      ['123456\n', '123456'],
      ['\t012345\r\n', '012345'],
      ['123 456', '123456'],
      ['12 34 56', '123456'],
      ['  123  456  ', '123456'],
    ]) {
      assert.equal(normalizeMfaCode(raw!), code, JSON.stringify(raw));
    }
  });

  it('refuses anything else', () => {
    for (const raw of ['', ' ', '12345', '1234567', '12345x', 'abcdef', '123-456', '123\t456', '123\n456', '١٢٣٤٥٦', '１２３４５６', '+12345', '12345.']) {
      assert.equal(normalizeMfaCode(raw), undefined, JSON.stringify(raw));
    }
  });
});

describe('obtainMfaCode', () => {
  const req = { serial: 'arn:aws:iam::123456789012:mfa/alice', profile: 'alice' };
  const answering = (code: string) => ({ mfaCode: async () => code, passphrase: async () => '', text: async () => '' });

  it('gives STS the normalized code', async () => {
    assert.equal(await obtainMfaCode(answering(' 123 456\n'), req), '123456');
  });

  it('a wrong shape is ERR_MFA_INVALID naming the device, never the code', async () => {
    await assert.rejects(
      obtainMfaCode(answering('98765x'), req),
      (e: unknown) => isRolehopError(e) && e.code === ErrorCodes.MFA_INVALID && e.message.includes(req.serial) && !`${e.message}${e.hint}`.includes('98765'),
    );
  });
});
