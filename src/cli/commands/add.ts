import { ErrorCodes, RolehopError } from '../../errors.js';
import type { CommandHandler } from '../cli-context.js';
import { requireProfile } from '../profile-name.js';

const ACCESS_KEY_ID = /^AKIA[A-Z0-9]{12,124}$/;

export default (async (cli, args, opts) => {
  const profile = requireProfile(args[0]);
  let accessKeyId: string;
  let secretAccessKey: string;
  if (opts.env) {
    accessKeyId = cli.env.AWS_ACCESS_KEY_ID ?? '';
    secretAccessKey = cli.env.AWS_SECRET_ACCESS_KEY ?? '';
    if (!accessKeyId || !secretAccessKey) {
      throw new RolehopError(ErrorCodes.USAGE, '--env needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to be set', {
        hint: 'Set both variables, or run `rolehop add PROFILE` in a terminal to be prompted.',
      });
    }
  } else {
    accessKeyId = (await cli.prompter.text({ message: 'Access key ID:' })).trim();
    secretAccessKey = (await cli.prompter.text({ message: 'Secret access key:', secret: true })).trim();
  }
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    throw new RolehopError(ErrorCodes.USAGE, `"${accessKeyId.slice(0, 4)}…" is not a long-lived IAM access key id (AKIA…)`, {
      hint: 'rolehop stores IAM user keys; temporary ASIA… keys need no vault.',
    });
  }
  if (secretAccessKey.length < 20) {
    throw new RolehopError(ErrorCodes.USAGE, 'The secret access key is too short', { hint: 'Paste the 40-character secret shown when the key was created.' });
  }
  const vault = await cli.vault();
  await vault.put(profile, { accessKeyId, secretAccessKey });
  const removed = await (await cli.broker()).clearSessions(profile);
  const store = await cli.store();
  if (cli.json) cli.stdout.write(JSON.stringify({ profile, accessKeyId, backend: store.kind, sessionsCleared: removed }) + '\n');
  else cli.stderr.write(`Stored key ${accessKeyId} for profile "${profile}" in the ${store.kind} backend.\n`);
  return 0;
}) satisfies CommandHandler<{ env?: boolean }>;
