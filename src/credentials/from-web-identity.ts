import type { SourceStep } from '../config/plan.js';
import type { StsPort } from '../aws/sts-port.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { readRegularFileSync, RefusedFileError } from '../io/read-regular-file.js';
import type { Credentials } from './types.js';

/** OIDC tokens are a few KiB; STS takes at most 20,000 characters. */
const MAX_TOKEN_BYTES = 64 << 10;

function tokenFileError(profile: string, path: string, why: string): RolehopError {
  return new RolehopError(ErrorCodes.PROFILE_INVALID, `Profile "${profile}": the web identity token file ${path} ${why}`, {
    hint: 'Check web_identity_token_file (or AWS_WEB_IDENTITY_TOKEN_FILE): in GitHub Actions write the OIDC token there first, in EKS the pod identity webhook mounts it.',
    details: { profile, path },
  });
}

/**
 * Reads the web identity token afresh (the issuer rotates the file), bounded
 * and refusing anything but a regular file. Surrounding whitespace (a
 * trailing newline from `echo`) is dropped.
 *
 * Errors: ERR_PROFILE_INVALID naming the path (never the contents) when the
 * file is missing, empty, unreadable, not a regular file or too large.
 */
export function readWebIdentityToken(profile: string, path: string): string {
  let text: string | undefined;
  try {
    text = readRegularFileSync(path, MAX_TOKEN_BYTES);
  } catch (e) {
    if (e instanceof RefusedFileError) throw tokenFileError(profile, path, e.reason === 'too-large' ? `is larger than ${e.what}` : `is ${e.what}`);
    throw tokenFileError(profile, path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (text === undefined) throw tokenFileError(profile, path, 'does not exist');
  const token = text.trim();
  if (!token) throw tokenFileError(profile, path, 'is empty');
  return token;
}

/**
 * The credentials of a web identity source: the token file read now, then
 * one AssumeRoleWithWebIdentity (unsigned) through `sts`, which is aimed at
 * the plan's STS endpoint and region like every other call.
 */
export async function credentialsFromWebIdentity(source: Extract<SourceStep, { kind: 'web-identity' }>, sts: StsPort): Promise<Credentials> {
  const webIdentityToken = readWebIdentityToken(source.profile, source.tokenFile);
  return sts.assumeRoleWithWebIdentity({
    roleArn: source.roleArn,
    roleSessionName: source.roleSessionName,
    webIdentityToken,
    durationSeconds: source.durationSeconds,
  });
}
