import type { CommandHandler } from '../cli-context.js';
import { formatCredentials } from '../output/credential-formats.js';
import { requireProfile } from '../profile-name.js';

interface Opts {
  format: string;
  duration?: number;
  region?: string;
}

export default (async (cli, args, opts) => {
  const profile = requireProfile(args[0]);
  // Validate the format before any unlock or STS call.
  formatCredentials(opts.format, { accessKeyId: '', secretAccessKey: '' }, { profile });
  const broker = await cli.broker();
  const r = await broker.credentials(profile, {
    ...(opts.duration ? { durationSeconds: opts.duration } : {}),
    ...(opts.region ? { region: opts.region } : {}),
  });
  const region = opts.region ?? r.plan.region;
  cli.stdout.write(formatCredentials(opts.format, r.credentials, { profile, ...(region ? { region } : {}) }));
  return 0;
}) satisfies CommandHandler<Opts>;
