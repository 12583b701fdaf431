import { resolve } from 'node:path';
import { DEFAULT_PROFILE_TEMPLATE, templateProblem } from '../../bundles/config-block.js';
import { awsConfigPath } from '../../config/load-config.js';
import { quotedName } from '../../config/profile-name.js';
import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import type { CommandHandler } from '../cli-context.js';
import { writeInto } from '../config-file-merge.js';
import { ssoDepsFor } from '../sso-deps.js';
import { ssoPresenter } from '../sso-presenter.js';
import { chooseSsoSession } from '../sso-session-choice.js';

interface Opts {
  session?: string;
  template?: string;
  region?: string;
  write?: boolean;
  configFile?: string;
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * `rolehop sso populate [--session NAME]`: one profile per account and role
 * the session assigns (signing in first if needed). Prints the block, or
 * merges it into the config file with `--write`; a rerun replaces the
 * block, and the user's own sections always win a name.
 */
export default (async (cli, _args, opts) => {
  const template = opts.template ?? DEFAULT_PROFILE_TEMPLATE;
  const badTemplate = templateProblem(template);
  if (badTemplate)
    throw new RolehopError(ErrorCodes.USAGE, `--template ${quotedName(template)} ${badTemplate}`, {
      hint: "Use {account}, {account_name} and {role}, e.g. --template '{account_name}-{role}'.",
    });
  if (opts.region !== undefined && !REGION.test(opts.region))
    throw new RolehopError(ErrorCodes.USAGE, `--region ${quotedName(opts.region)} is not a region name`, { hint: 'For example --region eu-west-1.' });
  const session = chooseSsoSession(cli, opts.session !== undefined ? { session: opts.session } : {});
  if (session.legacy)
    throw new RolehopError(ErrorCodes.USAGE, 'sso populate writes profiles that name an [sso-session]', {
      hint: 'Add an [sso-session NAME] section with sso_start_url and sso_region, then pass --session NAME.',
    });
  const deps = ssoDepsFor(cli, ssoPresenter(cli, { browser: true }));
  const { ssoToken, ssoAssignments, ssoPopulateBlock, populateBlockId } = await import('../../sso/index.js');
  const { assignments, dropped } = await ssoAssignments(await ssoToken(session, deps), deps);
  if (dropped) cli.stderr.write(`rolehop: note: ${plural(dropped, 'assignment')} left out: an account id or role name AWS would not give\n`);
  const block = ssoPopulateBlock({ session: session.name, assignments, template, ...(opts.region ? { region: opts.region } : {}) });
  for (const c of block.clashes) cli.stderr.write(`rolehop: note: ${c}\n`);
  const configPath = resolve(opts.configFile ?? awsConfigPath(cli.env, cli.homeDir));
  if (!opts.write) {
    cli.stdout.write(cli.json ? JSON.stringify(block.profiles, null, 2) + '\n' : block.text);
    cli.stderr.write(`rolehop: ${plural(block.profiles.length, 'profile')}; add --write to merge them into ${configPath}\n`);
    return ExitCodes.OK;
  }
  const merged = await writeInto(configPath, block.text, populateBlockId(session.name));
  const kept = merged.skipped.length ? ` (${merged.skipped.length} kept as your own: ${merged.skipped.map(quotedName).join(', ')})` : '';
  cli.stderr.write(`rolehop: ${plural(block.profiles.length - merged.skipped.length, 'profile')} written to ${configPath}${kept}\n`);
  if (cli.json) {
    const skipped = new Set(merged.skipped);
    cli.stdout.write(
      JSON.stringify(
        block.profiles.map((p) => ({ ...p, written: !skipped.has(p.name) })),
        null,
        2,
      ) + '\n',
    );
  }
  return ExitCodes.OK;
}) satisfies CommandHandler<Opts>;
