import type { SsoSession } from '../config/sso-settings.js';
import { mapAwsError } from '../aws/map-error.js';
import { ErrorCodes, isRolehopError, RolehopError } from '../errors.js';

/** The SDK's error name, '' when there is none. */
export function sdkErrorName(e: unknown): string {
  return (e as { name?: string })?.name ?? '';
}

/** The command that logs a session in again, for hints. */
export function loginCommand(session: SsoSession): string {
  return session.legacy ? 'rolehop sso login --profile PROFILE' : `rolehop sso login --session ${session.name}`;
}

/** A login is needed and nobody can be asked (no terminal, a credential_process caller). */
export function loginNeeded(session: SsoSession, why: string): RolehopError {
  return new RolehopError(ErrorCodes.AWS_EXPIRED, `The IAM Identity Center login of "${session.name}" ${why}, and there is no terminal to sign in at`, {
    hint: `Run \`${loginCommand(session)}\`, then try again.`,
    details: { session: session.name },
  });
}

/**
 * An OIDC or portal failure as a RolehopError: denied and expired device
 * codes, rejected tokens and unknown start URLs get their own message and
 * hint; the rest goes through {@link mapAwsError}. `what` names the call.
 */
export function ssoError(e: unknown, what: string, session: SsoSession): RolehopError {
  if (isRolehopError(e)) return e;
  const name = sdkErrorName(e);
  const details = { session: session.name, awsCode: name };
  switch (name) {
    case 'AccessDeniedException':
      return new RolehopError(ErrorCodes.AWS_ACCESS_DENIED, `The sign-in to "${session.name}" was denied`, {
        hint: `Run \`${loginCommand(session)}\` again and choose Allow in the browser.`,
        details,
      });
    case 'ExpiredTokenException':
      return new RolehopError(ErrorCodes.AWS_EXPIRED, `The sign-in code for "${session.name}" expired before it was approved`, {
        hint: `Run \`${loginCommand(session)}\` again and approve the code before it expires.`,
        details,
      });
    case 'UnauthorizedException':
      return new RolehopError(ErrorCodes.AWS_EXPIRED, `${what} failed: IAM Identity Center no longer accepts the login of "${session.name}"`, {
        hint: `Run \`${loginCommand(session)}\`, then try again.`,
        details,
      });
    case 'InvalidRequestException':
      return new RolehopError(ErrorCodes.PROFILE_INVALID, `${what} failed: IAM Identity Center refused the request for ${session.origin}`, {
        hint: `Check sso_start_url (${session.startUrl}) and sso_region (${session.region}) against the AWS access portal URL and its region.`,
        details,
      });
    case 'ResourceNotFoundException':
      return new RolehopError(ErrorCodes.AWS_ACCESS_DENIED, `${what} failed: no such account or role assignment in "${session.name}"`, {
        hint: 'Check sso_account_id and sso_role_name against the accounts and roles the AWS access portal shows you.',
        details,
      });
    default:
      return mapAwsError(e, what);
  }
}
