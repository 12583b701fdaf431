import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes, isRolehopError } from '../errors.js';
import { createTtyPrompter, mfaTokenOption } from './tty-prompter.js';

const req = { serial: 'arn:aws:iam::123456789012:mfa/alice', profile: 'alice' };
const childEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
/** True for an error whose message and hint hold none of `secret`. */
const keeps = (e: unknown, secret: string) => isRolehopError(e) && !`${e.message} ${e.hint ?? ''}`.includes(secret);

describe('--mfa-token', () => {
  it('not given: nothing; given: normalized as a typed code is', () => {
    assert.equal(mfaTokenOption(undefined), undefined);
    assert.equal(mfaTokenOption('123456'), '123456');
    assert.equal(mfaTokenOption(' 123 456 '), '123456');
  });

  it('not an MFA code: a usage error that says what a code is and never repeats the value', () => {
    for (const value of ['12345x', '12345', '1234567', '', '   ', 'abc def']) {
      assert.throws(
        () => mfaTokenOption(value),
        (e: unknown) =>
          isRolehopError(e) &&
          e.code === ErrorCodes.USAGE &&
          e.message === '--mfa-token is not an MFA code' &&
          /6 digits/.test(e.hint ?? '') &&
          (value.trim() === '' || keeps(e, value.trim())),
        JSON.stringify(value),
      );
    }
  });

  it('the prompter gives the checked value once, for the first code asked', async () => {
    const p = createTtyPrompter({ mfaToken: mfaTokenOption('654 321')!, childEnv });
    assert.equal(await p.mfaCode({ ...req, mfaProcess: 'echo 111111' }), '654321');
    assert.equal(await p.mfaCode({ ...req, mfaProcess: 'echo 111111' }), '111111', 'then the next source');
  });
});

describe('mfa_process', () => {
  it('its output is normalized: surrounding whitespace and spaces between digits dropped', async () => {
    const p = createTtyPrompter({ childEnv });
    assert.equal(await p.mfaCode({ ...req, mfaProcess: "printf ' 123 456\\n'" }), '123456');
  });

  it('output that is not an MFA code fails at once, ERR_MFA_INVALID naming the helper and profile, never the output', async () => {
    for (const out of ['98765x', '98765', '9876543', '']) {
      const p = createTtyPrompter({ childEnv });
      await assert.rejects(
        p.mfaCode({ ...req, mfaProcess: `printf '${out}'` }),
        (e: unknown) =>
          isRolehopError(e) &&
          e.code === ErrorCodes.MFA_INVALID &&
          e.message === 'mfa_process of profile "alice" (printf) printed no MFA code' &&
          /6 digits.*Run the command by hand/.test(e.hint ?? '') &&
          (out === '' || keeps(e, out)),
        out,
      );
    }
  });
});
