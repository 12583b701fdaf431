import { ErrorCodes, RolehopError } from '../errors.js';
import { readRegularFileSync } from '../io/read-regular-file.js';
import type { ProfileSection } from './aws-config.js';
import { MAX_CONFIG_BYTES } from './load-config.js';
import { parseIni } from './parse-ini.js';
import { ssoSessionSections } from './sso-settings.js';

/**
 * The `[sso-session NAME]` sections of the AWS config file at `path` (the
 * loaded `AwsConfig` keeps profiles and services only). A missing file has
 * none. Read bounded and regular-only, parsed with the same strict parser,
 * so a file `loadAwsConfig` accepts reads the same here; a file it refuses
 * is ERR_CONFIG_PARSE naming the file.
 */
export function loadSsoSessions(path: string): Map<string, ProfileSection> {
  let text: string | undefined;
  try {
    text = readRegularFileSync(path, MAX_CONFIG_BYTES);
  } catch (e) {
    throw new RolehopError(ErrorCodes.CONFIG_PARSE, `Cannot read the AWS config file ${path}`, {
      hint: 'Point AWS_CONFIG_FILE at a readable regular file, or unset it to use ~/.aws/config.',
      cause: e,
    });
  }
  return text === undefined ? new Map() : ssoSessionSections(parseIni(text, path));
}
