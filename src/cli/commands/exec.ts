import { credentialEnv } from '../../credentials/child-env.js';
import { ErrorCodes, RolehopError } from '../../errors.js';
import type { CommandHandler } from '../cli-context.js';
import { profileOrPicker } from '../profile-or-picker.js';
import { runChild } from '../run-child.js';

interface Opts {
  duration?: number;
  region?: string;
  session?: boolean;
  server?: boolean;
  imds?: boolean;
  /** Set by the spec: no profile before `--` (see `profileOmitted`). */
  profileOmitted?: boolean;
}

export default (async (cli, args, opts) => {
  if (cli.env.ROLEHOP_PROFILE) {
    throw new RolehopError(ErrorCodes.NESTED, `Already inside a rolehop environment for profile "${cli.env.ROLEHOP_PROFILE}"`, {
      hint: 'Exit that shell first (in a shell switched with rh: rh --unset, or rh PROFILE -- CMD to run one command as another profile), or unset ROLEHOP_PROFILE if you really mean to nest.',
    });
  }
  if (opts.server && opts.imds) throw new RolehopError(ErrorCodes.USAGE, '--server and --imds exclude each other', { hint: 'Pick one.' });
  const profile = await profileOrPicker(cli, opts.profileOmitted ? undefined : args[0]);
  const given = opts.profileOmitted ? args : args.slice(1);
  const shell = cli.env.SHELL || '/bin/sh';
  const [command, ...commandArgs] = given.length ? given : [shell];
  const broker = await cli.broker();
  const req = {
    ...(opts.duration ? { durationSeconds: opts.duration } : {}),
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.session === false ? { noSession: true } : {}),
  };
  if (opts.server || opts.imds) {
    const { runWithServer } = await import('../exec-server-mode.js');
    return runWithServer(cli, profile, [command!, ...commandArgs], opts.imds ? 'imds' : 'ecs', req);
  }
  const r = await broker.credentials(profile, req);
  const region = opts.region ?? r.plan.region;
  const env = credentialEnv(cli.env, r.credentials, { profile, ...(region ? { region } : {}) });
  return runChild(command!, commandArgs, env);
}) satisfies CommandHandler<Opts>;
