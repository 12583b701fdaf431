import { join } from 'node:path';
import type { Plan } from '../../config/plan.js';
import { CREDENTIAL_VARIABLE_NAMES } from '../../credentials/child-env.js';
import { cachedAccountNames } from '../../engine/cached-account-names.js';
import { ErrorCodes, isRolehopError, RolehopError } from '../../errors.js';
import type { CliContext, CommandHandler } from '../cli-context.js';
import { identityMatches, shellProfile, whoamiLines, whoamiView, type Verified, type WhoamiView } from '../output/whoami-view.js';

interface Opts {
  verify?: boolean;
}

/**
 * The profile's plan as the config gives it now, resolved without the
 * credentials the shell holds: those are rolehop's own output, not an
 * environment source for the profile.
 */
async function planOf(cli: CliContext, profile: string): Promise<{ plan?: Plan; planProblem?: string }> {
  const env = { ...cli.env };
  for (const k of CREDENTIAL_VARIABLE_NAMES) delete env[k];
  try {
    const [{ resolvePlan }, vault] = await Promise.all([import('../../config/resolve-plan.js'), cli.vault()]);
    return { plan: resolvePlan(cli.config(), profile, {}, env, { userName: cli.userName, hasStoredKey: (p) => vault.has(p) }) };
  } catch (e) {
    if (isRolehopError(e)) return { planProblem: e.message };
    throw e;
  }
}

async function verify(cli: CliContext, view: WhoamiView, plan: Plan | undefined): Promise<Verified> {
  const { createStsPort } = await import('../../aws/sts.js');
  const region = view.region ?? plan?.region;
  const sts = createStsPort({ ...(region ? { region } : {}), ...(plan?.endpoints.sts ? { endpoint: plan.endpoints.sts } : {}) });
  const who = await sts.getCallerIdentity({
    accessKeyId: view.accessKeyId,
    secretAccessKey: cli.env.AWS_SECRET_ACCESS_KEY ?? '',
    ...(cli.env.AWS_SESSION_TOKEN ? { sessionToken: cli.env.AWS_SESSION_TOKEN } : {}),
  });
  return { arn: who.arn, account: who.account, matches: identityMatches(view, who) };
}

export default (async (cli, _args, opts) => {
  const profile = shellProfile(cli.env);
  const { plan, planProblem } = await planOf(cli, profile);
  const accountNames = await cachedAccountNames(join(cli.rolehopHome, 'cache'));
  const computed = whoamiView({ env: cli.env, ...(plan ? { plan } : {}), ...(planProblem ? { planProblem } : {}), accountNames, now: cli.clock.now() });
  const verified = opts.verify ? await verify(cli, computed, plan) : undefined;
  const view: WhoamiView = verified ? { ...computed, verified } : computed;
  cli.stdout.write(cli.json ? JSON.stringify(view, null, 2) + '\n' : whoamiLines(view).join('\n') + '\n');
  if (verified && !verified.matches) {
    throw new RolehopError(ErrorCodes.IDENTITY_MISMATCH, `The shell's credentials are ${verified.arn}, not what profile "${profile}" gives`, {
      hint: `Run \`rh ${profile}\` again to replace them, or \`rh --unset\`.`,
      details: { expectedAccount: view.accountId, account: verified.account, arn: verified.arn },
    });
  }
  return 0;
}) satisfies CommandHandler<Opts>;
