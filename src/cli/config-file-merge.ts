// Merging a generated block of profiles into the user's AWS config file
// (`config generate --write`, `sso populate --write`): read, merge, write
// atomically, and never over a change made meanwhile.
import { realpathSync, statSync } from 'node:fs';
import { mergeConfig } from '../bundles/config-block.js';
import { MAX_CONFIG_BYTES } from '../config/load-config.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { readRegularFileBytesSync, RefusedFileError } from '../io/read-regular-file.js';

/** The config file's bytes, or undefined when it does not exist; anything unreadable is ERR_CONFIG_PARSE naming it. */
function readConfigBytes(path: string): Buffer | undefined {
  try {
    return readRegularFileBytesSync(path, MAX_CONFIG_BYTES);
  } catch (e) {
    const why = e instanceof RefusedFileError ? e.message : `${path}: ${(e as NodeJS.ErrnoException).code ?? e}`;
    throw new RolehopError(ErrorCodes.CONFIG_PARSE, `Cannot read the AWS config file: ${why}`, {
      hint: 'Give --config-file a regular, readable file (or a path where one can be created).',
      details: { file: path },
    });
  }
}

/** The file a link points to, so a config file kept elsewhere (dotfiles) stays a link; the path itself when it does not exist yet. */
function followLink(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Merges `block` into the config file at `path`: read, merge, write
 * atomically with the file's own mode (0600 for a new file, its parent
 * created 0700), and refuse to write when the file changed meanwhile.
 */
export async function writeInto(path: string, block: string, bundleName: string): Promise<ReturnType<typeof mergeConfig>> {
  const real = followLink(path);
  const before = readConfigBytes(real);
  const text = before?.toString('utf8') ?? '';
  if (before && !Buffer.from(text, 'utf8').equals(before))
    throw new RolehopError(ErrorCodes.CONFIG_PARSE, `${path} is not UTF-8 text; not changed`, {
      hint: 'Save it as UTF-8 first: rolehop keeps every byte outside its own block as it is, and cannot do so for other encodings.',
      details: { file: path },
    });
  const mode = before ? statSync(real).mode & 0o777 : 0o600;
  const merged = mergeConfig(text, block, bundleName, path);
  await writeFileAtomic(real, merged.text, mode, {
    beforeRename: async () => {
      const now = readConfigBytes(real);
      if (!(now === undefined ? before === undefined : before !== undefined && now.equals(before)))
        throw new RolehopError(ErrorCodes.CONFIG_PARSE, `${path} changed while rolehop was merging into it; not changed`, {
          hint: 'Rerun the command.',
          details: { file: path },
        });
    },
  });
  return merged;
}
