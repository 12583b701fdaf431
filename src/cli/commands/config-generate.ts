import { resolve } from 'node:path';
import { partitionOf } from '../../aws/partition.js';
import { configBlock, DEFAULT_PROFILE_TEMPLATE, templateProblem, type GeneratedProfile } from '../../bundles/config-block.js';
import { chainRegions } from '../../config/chain-region.js';
import { awsConfigPath } from '../../config/load-config.js';
import { profileNameProblem, PROFILE_NAME_RULE, quotedName } from '../../config/profile-name.js';
import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import type { CliContext, CommandHandler } from '../cli-context.js';
import { writeInto } from '../config-file-merge.js';
import { loadBundle, rolesSetup, type RolesOpts } from '../roles-setup.js';

interface Opts extends RolesOpts {
  write?: boolean;
  template?: string;
  sourceProfile?: string;
  configFile?: string;
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
