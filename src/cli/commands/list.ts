import { listSessions } from '../../sessions/broker.js';
import type { CommandHandler } from '../cli-context.js';
import { buildListView, formatDuration, PROFILE_HEAD, profileRows } from '../output/list-view.js';
import { writeTable } from '../output/row-table.js';

export default (async (cli) => {
  const vault = await cli.vault();
  const view = buildListView(
    cli.config(),
    vault.list(),
    listSessions(cli.rolehopHome, cli.logger).map((s) => s.meta),
    cli.clock.now(),
  );
  if (cli.json) {
    cli.stdout.write(JSON.stringify(view, null, 2) + '\n');
    return 0;
  }
  // Written section by section, each table in chunks: a config of 100,000 profiles prints in linear time and Ctrl-C stops it.
  const out = cli.stdout;
  const opts = { signal: cli.signal };
  out.write('Profiles\n');
  await writeTable(out, PROFILE_HEAD, profileRows(view), opts);
  if (view.profiles.some((p) => p.kind === 'sso')) {
    out.write(
      '  sso: IAM Identity Center profiles are not supported yet; use one from another profile with\n  credential_process = aws configure export-credentials --profile NAME --format process\n',
    );
  }
  out.write('\nStored keys\n');
  if (view.keys.length)
    await writeTable(
      out,
      ['profile', 'access key id', 'backend', 'added'],
      view.keys.map((k) => [k.profile, k.accessKeyId, k.backend, k.addedAt]),
      opts,
    );
  else out.write('  (none: add one with `rolehop add PROFILE`)\n');
  out.write('\nSessions\n');
  if (view.sessions.length)
    await writeTable(
      out,
      ['profile', 'kind', 'role', 'account', 'mfa', 'time left'],
      view.sessions.map((s) => [s.profile, s.kind, s.roleArn ?? '-', s.accountId ?? '-', s.mfa ? 'yes' : '-', formatDuration(s.secondsLeft)]),
      opts,
    );
  else out.write('  (none)\n');
  return 0;
}) satisfies CommandHandler;
