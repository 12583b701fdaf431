import { awsConfigPath, awsCredentialsPath } from './aws-config-path.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { notRegularFile, readRegularFileBytesSync, RefusedFileError } from '../io/read-regular-file.js';
import { firstInvalidUtf8Line } from '../io/utf8-lines.js';
import type { AwsConfig, ProfileSection } from './aws-config.js';
import { parseIni, type IniSection } from './parse-ini.js';
import { PROFILE_NAME_PATTERN, PROFILE_NAME_RULE, profileNameProblem, quotedName } from './profile-name.js';

export { PROFILE_NAME_PATTERN };
export { awsConfigPath, awsCredentialsPath };

/**
 * Largest AWS config file read. Generous: a config generated for every
 * account of a 100,000-account organisation (one role profile each, ~100-300
 * bytes) is 10-30 MiB; the cap only stops a mistaken path (a log, an image,
 * /dev/zero) from being read whole.
 */
export const MAX_CONFIG_BYTES = 64 << 20;

/** Reads a text file; returns undefined when it does not exist. */
export type ReadTextFile = (path: string) => string | undefined;

/**
 * Reads the file as UTF-8, refusing bytes that are not: decoding them would
 * silently turn a value into replacement characters (a role ARN or a
 * profile name that no longer matches), so the line to fix is named instead.
 */
const readIfExists: ReadTextFile = (path) => {
  const bytes = readRegularFileBytesSync(path, MAX_CONFIG_BYTES);
  if (bytes === undefined) return undefined;
  const line = firstInvalidUtf8Line(bytes);
  if (line !== undefined) {
    throw new RolehopError(ErrorCodes.CONFIG_PARSE, `${path}, line ${line}: not valid UTF-8 text`, {
      hint: 'Save the file as UTF-8 (the AWS CLI and the SDKs read it as UTF-8 too); a character typed in another encoding, such as Latin-1, is the usual cause.',
      details: { file: path, line },
    });
  }
  return bytes.toString('utf8');
};

function readError(path: string, e: unknown): RolehopError {
  if (e instanceof RolehopError) return e;
  if (e instanceof RefusedFileError) {
    return new RolehopError(ErrorCodes.CONFIG_PARSE, `The AWS config file ${e.message}`, {
      hint: `Point AWS_CONFIG_FILE at your config file (a regular file${e.reason === 'too-large' ? ` of at most ${e.what}` : ''}), or unset it to use ~/.aws/config.`,
      details: { file: path, reason: e.reason },
    });
  }
  return new RolehopError(ErrorCodes.CONFIG_PARSE, `Cannot read AWS config file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, {
    hint: 'Check the file permissions, or point AWS_CONFIG_FILE at a readable file.',
    cause: e,
  });
}

/**
 * rolehop never reads keys from the credentials file, but every AWS SDK
 * client it makes does read the file, and would wait forever on a FIFO or
 * read /dev/zero until memory runs out. So it is checked (stat only) with
 * the config file, before any AWS call.
 */
function checkCredentialsFile(env: Readonly<Record<string, string | undefined>>, homeDir: string): void {
  const path = awsCredentialsPath(env, homeDir);
  const what = notRegularFile(path, MAX_CONFIG_BYTES);
  if (!what) return;
  throw new RolehopError(ErrorCodes.CONFIG_PARSE, `The AWS shared credentials file ${path} is ${what}`, {
    hint: 'The AWS SDK reads this file on every call. Point AWS_SHARED_CREDENTIALS_FILE at a regular file, or unset it to use ~/.aws/credentials.',
    details: { file: path },
  });
}

/**
 * Reads and parses the AWS config file (see {@link awsConfigPath}). A missing
 * file is an empty config; an unreadable or malformed one, or one that is
 * not a regular file (FIFO, device, directory) or is larger than
 * {@link MAX_CONFIG_BYTES}, is `ERR_CONFIG_PARSE` naming the file, with a
 * hint. Reading never blocks on a FIFO. The shared credentials file is
 * checked the same way (not read: rolehop takes no keys from it).
 *
 * - `[default]` and `[profile default]` both name profile `default`; when both
 *   exist the later section wins whole (botocore), and a warning is recorded.
 * - `[profile NAME]`, `[services NAME]` and `[sso-session NAME]` sections
 *   whose name rolehop cannot use (see `profileNameProblem`) are skipped
 *   with a warning, so every other profile still works.
 * - `[sso-session NAME]` sections are kept for IAM Identity Center profiles;
 *   unknown sections are ignored; `[default]` keys are
 *   NOT inherited by other profiles (AWS CLI semantics, unlike aws-vault), so
 *   a profile means the same thing to rolehop and to the AWS CLI.
 * - `~/.aws/credentials` is never read: rolehop keeps long-lived keys only in
 *   its vault.
 *
 * A file that is not valid UTF-8 is `ERR_CONFIG_PARSE` naming the line.
 *
 * @param readFile injectable for tests; default reads UTF-8 from disk.
 */
export function loadAwsConfig(env: Readonly<Record<string, string | undefined>>, homeDir: string, readFile: ReadTextFile = readIfExists): AwsConfig {
  const path = awsConfigPath(env, homeDir);
  let text: string | undefined;
  try {
    text = readFile(path);
  } catch (e) {
    throw readError(path, e);
  }
  checkCredentialsFile(env, homeDir);
  if (text === undefined) return { path, profiles: new Map(), services: new Map(), warnings: [] };
  return buildConfig(parseIni(text, path), path);
}

/** Turns parsed sections into an {@link AwsConfig}; exported for tests and for callers that already hold the text. */
export function buildConfig(sections: readonly IniSection[], path: string): AwsConfig {
  const profiles = new Map<string, ProfileSection>();
  const services = new Map<string, ProfileSection>();
  const ssoSessions = new Map<string, ProfileSection>();
  const warnings: string[] = [];
  let defaultFrom: IniSection | undefined;

  for (const s of sections) {
    if (s.skipped) warnings.push(`${path}, line ${s.line}: the section ${quotedName(`[${s.header}]`)} is ignored, as the AWS CLI ignores it: ${s.skipped}.`);
    if (s.kind === 'other') continue;
    const problem = profileNameProblem(s.name);
    if (problem) {
      // A warning, not an error: the AWS CLI may read this section, and one
      // name rolehop cannot use must not break every other profile.
      warnings.push(`${path}, line ${s.line}: the ${s.kind} section ${quotedName(s.name)} is ignored: its name ${problem}. ${PROFILE_NAME_RULE}`);
      continue;
    }
    if (s.kind === 'services') services.set(s.name, s.entries);
    if (s.kind === 'sso-session') ssoSessions.set(s.name, s.entries);
    if (s.kind !== 'default' && s.kind !== 'profile') continue;
    if (s.name === 'default') {
      if (defaultFrom) {
        warnings.push(
          `${path}: both [${defaultFrom.header}] (line ${defaultFrom.line}) and [${s.header}] (line ${s.line}) define profile "default"; the later one is used, as the AWS CLI does. Keep only [default].`,
        );
      }
      defaultFrom = s;
    }
    profiles.set(s.name, s.entries);
  }
  return { path, profiles, services, ssoSessions, warnings };
}
