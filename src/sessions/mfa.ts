import { ErrorCodes, RolehopError } from '../errors.js';
import type { MfaRequest, Prompter } from '../io/context.js';

/** What a code must look like, for messages that say why one was not taken. */
export const MFA_CODE_SHAPE = 'An MFA code is 6 digits';

/**
 * The code as STS takes it, or undefined when `raw` is not an MFA code:
 * surrounding whitespace and spaces between the digits are dropped (so
 * `123 456`, as authenticator apps show it, is `123456`), and exactly six
 * ASCII digits must remain. `raw` is a secret: never put it in a message.
 */
export function normalizeMfaCode(raw: string): string | undefined {
  const code = raw.trim().replace(/ +/g, '');
  return /^[0-9]{6}$/.test(code) ? code : undefined;
}

/**
 * Asks the prompter for an MFA code and checks its shape (6 digits) before
 * it is sent to AWS. The CLI's prompter already checks each of its sources
 * and says which was wrong; this is the check for every other prompter (a
 * library's callback). The code itself never appears in an error message.
 */
export async function obtainMfaCode(prompter: Prompter, req: MfaRequest): Promise<string> {
  const code = normalizeMfaCode(await prompter.mfaCode(req));
  if (code === undefined) {
    throw new RolehopError(ErrorCodes.MFA_INVALID, `The MFA code for ${req.serial} is not 6 digits`, {
      hint: 'Enter the 6-digit code your MFA device shows now.',
    });
  }
  return code;
}
