import { ErrorCodes, RolehopError } from '../errors.js';
import type { MfaRequest, Prompter } from '../io/context.js';

/**
 * Asks the prompter for an MFA code and checks its shape (6 digits) before
 * it is sent to AWS. The code itself never appears in an error message.
 */
export async function obtainMfaCode(prompter: Prompter, req: MfaRequest): Promise<string> {
  const code = (await prompter.mfaCode(req)).trim();
  if (!/^\d{6}$/.test(code)) {
    throw new RolehopError(ErrorCodes.MFA_INVALID, `The MFA code for ${req.serial} is not 6 digits`, {
      hint: 'Enter the 6-digit code your MFA device shows now.',
    });
  }
  return code;
}
