import Table from 'cli-table3';
import { listSessions } from '../../sessions/broker.js';
import type { CommandHandler } from '../cli-context.js';
import { buildListView, formatDuration } from '../output/list-view.js';

function table(head: string[], rows: string[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  t.push(...rows);
  return t.toString();
}

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
  const out: string[] = [];
  out.push('Profiles');
  out.push(
    table(
      ['profile', 'kind', 'role / source', 'region', 'mfa', 'stored key'],
      view.profiles.map((p) => [
        p.name,
        p.kind,
        p.roleArn ? `${p.roleArn}\n  via ${p.sourceProfile ?? '-'}` : '-',
        p.region ?? '-',
        p.mfaSerial ? 'yes' : '-',
        p.storedKey ? 'yes' : '-',
      ]),
    ),
  );
  out.push('\nStored keys');
  out.push(
    view.keys.length
      ? table(
          ['profile', 'access key id', 'backend', 'added'],
          view.keys.map((k) => [k.profile, k.accessKeyId, k.backend, k.addedAt]),
        )
      : '  (none: add one with `rolehop add PROFILE`)',
  );
  out.push('\nSessions');
  out.push(
    view.sessions.length
      ? table(
          ['profile', 'kind', 'role', 'account', 'mfa', 'time left'],
          view.sessions.map((s) => [s.profile, s.kind, s.roleArn ?? '-', s.accountId ?? '-', s.mfa ? 'yes' : '-', formatDuration(s.secondsLeft)]),
        )
      : '  (none)',
  );
  cli.stdout.write(out.join('\n') + '\n');
  return 0;
}) satisfies CommandHandler;
