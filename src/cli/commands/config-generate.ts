import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { partitionOf } from '../../aws/partition.js';
import { configBlock, DEFAULT_PROFILE_TEMPLATE, mergeConfig, templateProblem, type GeneratedProfile } from '../../bundles/config-block.js';
import { chainRegions } from '../../config/chain-region.js';
import { awsConfigPath, MAX_CONFIG_BYTES } from '../../config/load-config.js';
import { profileNameProblem, PROFILE_NAME_RULE, quotedName } from '../../config/profile-name.js';
import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { readRegularFileBytesSync, RefusedFileError } from '../../io/read-regular-file.js';
import type { CliContext, CommandHandler } from '../cli-context.js';
import { loadBundle, rolesSetup, type RolesOpts } from '../roles-setup.js';

interface Opts extends RolesOpts {
  write?: boolean;
  template?: string;
  sourceProfile?: string;
  configFile?: string;
}

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
async function writeInto(path: string, block: string, bundleName: string): Promise<ReturnType<typeof mergeConfig>> {
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

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function printJson(cli: CliContext, profiles: GeneratedProfile[], skipped?: ReadonlySet<string>): void {
  const rows = skipped ? profiles.map((p) => ({ ...p, written: !skipped.has(p.name) })) : profiles;
  cli.stdout.write(JSON.stringify(rows, null, 2) + '\n');
}

/**
 * `rolehop config generate FILE [selection]`: one AWS config profile per
 * selected account and bundle role, chained from the source profile. Prints
 * the block, or merges it into the config file with `--write`.
 */
export default (async (cli, [file], opts) => {
  const template = opts.template ?? DEFAULT_PROFILE_TEMPLATE;
  // Checked before the bundle, the selection and the MFA prompt: a typo fails at once.
  const badTemplate = templateProblem(template);
  if (badTemplate)
    throw new RolehopError(ErrorCodes.USAGE, `--template ${quotedName(template)} ${badTemplate}`, {
      hint: "Use {account}, {account_name} and {role}, e.g. --template '{account_name}-{role}'.",
    });
  const badSource = opts.sourceProfile === undefined ? undefined : profileNameProblem(opts.sourceProfile);
  if (badSource) throw new RolehopError(ErrorCodes.USAGE, `--source-profile ${quotedName(opts.sourceProfile!)} ${badSource}`, { hint: PROFILE_NAME_RULE });

  const bundle = await loadBundle(cli, file!);
  const setup = await rolesSetup(cli, bundle, opts);
  let generated;
  try {
    const sourceProfile = opts.sourceProfile ?? setup.profile;
    // The region written is the config's (the source profile's, up its chain), never AWS_REGION of this shell.
    const regions = chainRegions(cli.config());
    const region = (regions.get(sourceProfile) ?? regions.get(setup.profile))?.region;
    generated = configBlock({
      bundle,
      targets: setup.targets,
      sourceProfile,
      template,
      ...(region ? { region } : {}),
      // The partition the selection was resolved in: the accounts' ARNs live there.
      partition: partitionOf(setup.sweep.region ?? region),
    });
    if (!cli.config().profiles.has(sourceProfile))
      cli.stderr.write(`rolehop: warning: source profile ${quotedName(sourceProfile)} is not in ${cli.config().path}; the generated profiles chain from it\n`);
  } finally {
    setup.close();
  }
  for (const line of [...generated.clashes, ...generated.notes]) cli.stderr.write(`rolehop: note: ${line}\n`);
  const configPath = resolve(opts.configFile ?? awsConfigPath(cli.env, cli.homeDir));

  if (!opts.write) {
    if (cli.json) printJson(cli, generated.profiles);
    else cli.stdout.write(generated.text);
    cli.stderr.write(`rolehop: ${plural(generated.profiles.length, 'profile')}; add --write to merge them into ${configPath}\n`);
    return ExitCodes.OK;
  }

  const merged = await writeInto(configPath, generated.text, bundle.name);
  const kept = merged.skipped.length ? ` (${merged.skipped.length} kept as your own: ${merged.skipped.map(quotedName).join(', ')})` : '';
  const written = generated.profiles.length - merged.skipped.length;
  cli.stderr.write(`rolehop: ${plural(written, 'profile')} written to ${configPath}${kept}\n`);
  if (cli.json) printJson(cli, generated.profiles, new Set(merged.skipped));
  return ExitCodes.OK;
}) satisfies CommandHandler<Opts>;
