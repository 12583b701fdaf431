import { awsConfigPath } from '../config/aws-config-path.js';
import { readRegularFileBytesSync } from '../io/read-regular-file.js';

/** Past this, the file is left to the normal path's reader rather than read twice. */
const MAX_SCANNED_BYTES = 4 << 20;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether the AWS config file has a section header for `profile`
 * (`[profile NAME]`, or `[default]`), going by the header lines alone. The
 * fast path uses it only to skip the normal path's full check (`clear`'s
 * typo hint): true means "a profile, no hint"; false, or any doubt (no
 * HOME, no file, a file that is not regular or is large), means "let the
 * normal path decide". So a false negative costs only time.
 */
export function configHasProfileHeader(env: Readonly<Record<string, string | undefined>>, profile: string): boolean {
  if (!env.HOME) return false;
  let bytes: Buffer | undefined;
  try {
    bytes = readRegularFileBytesSync(awsConfigPath(env, env.HOME), MAX_SCANNED_BYTES);
  } catch {
    return false;
  }
  if (bytes === undefined) return false;
  const name = escapeRegExp(profile);
  const header =
    profile === 'default' ? /^[ \t]*\[[ \t]*(?:profile[ \t]+)?default[ \t]*\]/m : new RegExp(`^[ \\t]*\\[[ \\t]*profile[ \\t]+${name}[ \\t]*\\]`, 'm');
  return header.test(bytes.toString('utf8'));
}
