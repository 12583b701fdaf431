import { listSessions } from '../../sessions/session-cache.js';
import type { CliContext, CommandHandler } from '../cli-context.js';
import { buildListView, formatDuration, PROFILE_HEAD, profileRows } from '../output/list-view.js';
import { writeTable } from '../output/row-table.js';
import { ssoSessionViews } from '../output/sso-session-rows.js';

/** What `list` uses of the CLI context: a hot path can build just this much (src/cli/hot-list.ts). */
export type ListContext = Pick<CliContext, 'vault' | 'config' | 'rolehopHome' | 'logger' | 'clock' | 'json' | 'stdout' | 'signal'>;

/** `rolehop list`: profiles, stored keys, sessions and SSO sessions, as tables or (`json`) one document; resolves the exit code. */
export async function listCommand(cli: ListContext): Promise<number> {
  const vault = await cli.vault();
  const view = buildListView(
    cli.config(),
    vault.list(),
    listSessions(cli.rolehopHome, cli.logger).map((s) => s.meta),
    cli.clock.now(),
  );
  const ssoSessions = ssoSessionViews(cli.config(), { rolehopHome: cli.rolehopHome, logger: cli.logger }, cli.clock.now());
  if (cli.json) {
    cli.stdout.write(JSON.stringify({ ...view, ssoSessions }, null, 2) + '\n');
    return 0;
  }
  // Written section by section, each table in chunks: a config of 100,000 profiles prints in linear time and Ctrl-C stops it.
  const out = cli.stdout;
  const opts = { signal: cli.signal };
  out.write('Profiles\n');
  await writeTable(out, PROFILE_HEAD, profileRows(view), opts);
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
  if (ssoSessions.length) {
    out.write('\nSSO sessions\n');
    await writeTable(
      out,
      ['session', 'start URL', 'region', 'login', 'refresh'],
      ssoSessions.map((s) => [
        s.name,
        s.startUrl ?? '-',
        s.region ?? '-',
        s.problem ? `unusable: ${s.problem}` : !s.loggedIn ? 'none: `rolehop sso login`' : s.secondsLeft ? formatDuration(s.secondsLeft) : 'expired',
        s.refreshable ? 'yes' : '-',
      ]),
      opts,
    );
  }
  return 0;
}

export default (async (cli) => listCommand(cli)) satisfies CommandHandler;
