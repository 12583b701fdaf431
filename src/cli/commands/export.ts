import type { CommandHandler } from '../cli-context.js';
import { formatCredentials } from '../output/credential-formats.js';
import { profileOrPicker } from '../profile-or-picker.js';

interface Opts {
  format: string;
  duration?: number;
  region?: string;
}

export default (async (cli, args, opts) => {
  // Validate the format before the picker, any unlock or STS call.
  formatCredentials(opts.format, { accessKeyId: '', secretAccessKey: '' }, { profile: args[0] ?? '' });
  const profile = await profileOrPicker(cli, args[0]);
  const broker = await cli.broker();
  const r = await broker.credentials(profile, {
    ...(opts.duration ? { durationSeconds: opts.duration } : {}),
    ...(opts.region ? { region: opts.region } : {}),
  });
  const region = opts.region ?? r.plan.region;
  cli.stdout.write(formatCredentials(opts.format, r.credentials, { profile, ...(region ? { region } : {}) }));
  return 0;
}) satisfies CommandHandler<Opts>;
