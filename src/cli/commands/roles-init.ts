import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultBundleText } from '../../bundles/default-bundle.js';
import { ACCOUNT_ID } from '../../aws/partition.js';
import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { CommandHandler } from '../cli-context.js';
import { planOf, selectionProfile } from '../account-selection.js';
import { sessionWithAccount } from '../source-session.js';

interface Opts {
  identityAccount?: string;
  profile?: string;
  force?: boolean;
}

/** `rolehop roles init [FILE]`: writes the commented three-tier bundle; never overwrites without --force. */
export default (async (cli, [file = 'rolehop-roles.yaml'], opts) => {
  if (opts.identityAccount !== undefined && !ACCOUNT_ID.test(opts.identityAccount))
    throw new RolehopError(ErrorCodes.USAGE, `--identity-account "${opts.identityAccount}" is not a 12-digit account id`, {
      hint: 'For example --identity-account 111111111111.',
    });
  const path = resolve(file);
  if (existsSync(path) && !opts.force)
    throw new RolehopError(ErrorCodes.USAGE, `${file} exists; not overwritten`, { hint: 'Pick another file name, or pass --force to replace it.' });
  let account = opts.identityAccount;
  if (!account) {
    const { profile, defaulted } = selectionProfile(cli, opts);
    const broker = await cli.broker();
    const credentials = await sessionWithAccount(broker, profile, planOf(broker, profile, defaulted));
    account = credentials.accountId;
    if (!account)
      throw new RolehopError(ErrorCodes.USAGE, `Cannot tell the account of profile ${profile}`, {
        hint: 'Pass --identity-account ID (the account whose users assume the roles).',
      });
  }
  await writeFileAtomic(path, defaultBundleText(account), 0o644);
  cli.stderr.write(`rolehop: wrote ${file} (identity account ${account}). Next: rolehop roles plan ${file} --org\n`);
  return ExitCodes.OK;
}) satisfies CommandHandler<Opts>;
