import { plural } from '../output/plural.js';
import type { SourceStep } from '../../config/plan.js';
import { createIamPort } from '../../aws/iam.js';
import { createStsPort } from '../../aws/sts.js';
import { ErrorCodes, RolehopError, isRolehopError } from '../../errors.js';
import { fileJournal } from '../../rotate/journal.js';
import type { RotationReport } from '../../rotate/report.js';
import { rotateAccessKey } from '../../rotate/rotate-key.js';
import type { CommandHandler } from '../cli-context.js';
import { requireProfile } from '../profile-name.js';

interface Opts {
  yes?: boolean;
}

function reportOf(e: unknown): RotationReport | undefined {
  return isRolehopError(e) ? ((e.details as { report?: RotationReport } | undefined)?.report ?? undefined) : undefined;
}

/** How a source that is not a stored key is named in rotate's refusal. */
const SOURCE_NAMES: Record<Exclude<SourceStep['kind'], 'stored-key'>, string> = {
  process: 'credential_process',
  environment: 'the environment',
  'web-identity': 'a web identity token',
  container: 'the container credentials endpoint',
  imds: 'the instance metadata service',
  sso: 'IAM Identity Center',
};

export default (async (cli, args, opts) => {
  const profile = requireProfile(args[0]);
  const interactive = cli.tty.stdin && cli.tty.stderr;
  if (!opts.yes && !interactive) {
    throw new RolehopError(ErrorCodes.USAGE, 'rotate replaces an IAM access key and needs confirmation', {
      hint: `Pass --yes: rolehop rotate ${profile} --yes`,
    });
  }
  const broker = await cli.broker();
  const plan = broker.plan(profile, { noSession: true });
  if (plan.source.kind !== 'stored-key') {
    throw new RolehopError(
      ErrorCodes.NO_STORED_KEY,
      `Profile "${profile}" gets its credentials from ${SOURCE_NAMES[plan.source.kind]}, not from a key rolehop stores`,
      {
        hint: 'rolehop rotates keys it stores (`rolehop add PROFILE`).',
      },
    );
  }
  const keyProfile = plan.source.profile;
  const keyPlan = broker.plan(keyProfile);
  // IAM refuses non-MFA GetSessionToken sessions: use the MFA session or the key itself.
  const mfa = keyPlan.session?.mfaSerial !== undefined;
  const region = keyPlan.region;
  const vault = await cli.vault();
  const deps = {
    iam: createIamPort({ ...(region ? { region } : {}), ...(keyPlan.endpoints.iam ? { endpoint: keyPlan.endpoints.iam } : {}) }),
    sts: createStsPort({ ...(region ? { region } : {}), ...(keyPlan.endpoints.sts ? { endpoint: keyPlan.endpoints.sts } : {}) }),
    vault,
    iamCaller: mfa ? async () => (await broker.sessionCredentials(keyProfile)).credentials : async (k: { accessKeyId: string; secretAccessKey: string }) => k,
    clearSessions: () => broker.clearSessions(keyProfile),
    journal: fileJournal(cli.rolehopHome, keyProfile),
    clock: cli.clock,
    logger: cli.logger,
    signal: cli.signal,
    ...(opts.yes
      ? {}
      : {
          confirm: async (q: { keyProfile: string; userName: string; oldKeyId: string }) => {
            const answer = await cli.prompter.text({
              message: `Replace access key ${q.oldKeyId} of IAM user ${q.userName} (profile "${q.keyProfile}") with a new one? [y/N]`,
            });
            return /^y(es)?$/i.test(answer.trim());
          },
        }),
  };
  let report: RotationReport;
  try {
    report = await rotateAccessKey(deps, { profile, keyProfile });
  } catch (e) {
    const partial = reportOf(e);
    if (cli.json && partial) cli.stdout.write(JSON.stringify(partial) + '\n');
    throw e;
  }
  if (cli.json) {
    cli.stdout.write(JSON.stringify(report) + '\n');
  } else {
    cli.stdout.write(
      `Rotated the access key of IAM user ${report.userName} (profile "${keyProfile}"): ${report.oldKeyId} -> ${report.newKeyId}; ` +
        `${plural(report.sessionsCleared ?? 0, 'cached session')} cleared.\n`,
    );
  }
  return 0;
}) satisfies CommandHandler<Opts>;
