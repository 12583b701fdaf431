import { ErrorCodes, RolehopError, isRolehopError, type ErrorCode } from '../errors.js';

/** Error names the SDK uses for throttling across services. */
export const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'SlowDown',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

function classify(name: string, message: string): { code: ErrorCode; hint: string } {
  if (THROTTLING_CODES.has(name)) return { code: ErrorCodes.AWS_THROTTLED, hint: 'AWS is rate limiting these calls; retry later or lower --concurrency.' };
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || name === 'RequestExpired')
    return { code: ErrorCodes.AWS_EXPIRED, hint: 'The session expired; run `rolehop clear PROFILE` and try again.' };
  if (name === 'InvalidClientTokenId' || name === 'SignatureDoesNotMatch' || name === 'UnrecognizedClientException')
    return {
      code: ErrorCodes.AWS_INVALID_KEY,
      hint: 'The stored key was not accepted (deleted, inactive or wrong secret): store a working key with `rolehop add PROFILE`.',
    };
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    if (/MultiFactorAuthentication|MFA/i.test(message))
      return { code: ErrorCodes.MFA_INVALID, hint: 'Wait for the next code of your MFA device and try again; a code works only once.' };
    return { code: ErrorCodes.AWS_ACCESS_DENIED, hint: "Check the role's trust policy and your identity policy (sts:AssumeRole)." };
  }
  if (name === 'ValidationError') {
    if (/role chaining/i.test(message))
      return { code: ErrorCodes.AWS_VALIDATION, hint: 'Roles assumed from an MFA session or another role last at most 1 h (duration_seconds <= 3600).' };
    if (/MaxSessionDuration/i.test(message)) return { code: ErrorCodes.AWS_VALIDATION, hint: "Lower duration_seconds or raise the role's MaxSessionDuration." };
    return { code: ErrorCodes.AWS_VALIDATION, hint: 'Check the profile settings sent to AWS.' };
  }
  if (name === 'InvalidIdentityToken' || name === 'IDPRejectedClaim' || name === 'IDPCommunicationError')
    return {
      code: ErrorCodes.AWS_ACCESS_DENIED,
      hint: "The web identity token was refused: check that the token file is current and that the role's trust policy names its issuer and audience.",
    };
  if (NETWORK_CODES.has(name)) return { code: ErrorCodes.AWS_NETWORK, hint: 'Check the network and any endpoint_url / AWS_ENDPOINT_URL setting.' };
  return { code: ErrorCodes.AWS_OTHER, hint: 'Run again with --debug for details.' };
}

/** Strips anything that looks like a credential (or a JWT, such as a web identity token) from an AWS message. */
function scrub(message: string): string {
  return message
    .replace(/\b(ASIA|AKIA)[A-Z0-9]{12,}\b/g, '$1…')
    .replace(/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, 'eyJ…')
    .replace(/[A-Za-z0-9/+=]{80,}/g, '…');
}

/**
 * Translates an AWS SDK (or network) error into a RolehopError: the one
 * place where SDK error names become rolehop codes. `what` names the call
 * (e.g. "AssumeRole arn:aws:iam::1:role/x") and prefixes the message.
 */
export function mapAwsError(e: unknown, what: string): RolehopError {
  if (isRolehopError(e)) return e;
  const err = e as { name?: string; code?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err?.Code ?? err?.name ?? err?.code ?? 'Error';
  const raw = typeof err?.message === 'string' ? err.message : String(e);
  const { code, hint } = classify(name, raw);
  return new RolehopError(code, `${what} failed: ${name}: ${scrub(raw)}`, {
    hint,
    cause: e,
    details: { awsCode: name, httpStatus: err?.$metadata?.httpStatusCode },
  });
}

/** The AWS error name of a mapped RolehopError (`details.awsCode`) or of a raw SDK error; '' when there is none. */
export function awsErrorName(e: unknown): string {
  const err = e as { name?: string; details?: { awsCode?: string } };
  return err?.details?.awsCode ?? err?.name ?? '';
}

/** True for errors worth retrying (throttling, 5xx, network). */
export function isRetryableAwsError(e: unknown): boolean {
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; details?: { awsCode?: string; httpStatus?: number } };
  const name = err?.details?.awsCode ?? err?.name ?? err?.code ?? '';
  const status = err?.details?.httpStatus ?? err?.$metadata?.httpStatusCode ?? 0;
  return THROTTLING_CODES.has(name) || NETWORK_CODES.has(name) || status === 429 || status >= 500;
}
