import type { SelectedAccount } from '../../engine/selection.js';
import { plural } from './plural.js';
import { writeTable } from './row-table.js';

/**
 * Writes the selection as `rolehop run` without a command prints it: a table
 * of accounts (plain rows past `BORDERED_ROW_LIMIT`, see `row-table.ts`) and a summary
 * line, or one JSON document. Linear in the number of accounts; an abort of
 * `signal` stops it with ERR_ABORTED.
 */
export async function writeSelection(
  out: NodeJS.WritableStream,
  accounts: SelectedAccount[],
  regions: string[],
  opts: { json: boolean; role: string; signal?: AbortSignal },
): Promise<void> {
  const targets = accounts.length * regions.length;
  if (opts.json) {
    const list = accounts.map((a) => ({ account: a.account, name: a.name ?? null }));
    out.write(`${JSON.stringify({ role: opts.role, regions, targets, accounts: list }, null, 2)}\n`);
    return;
  }
  await writeTable(
    out,
    ['Account', 'Name'],
    accounts.map((a) => [a.account, a.name ?? '']),
    opts.signal ? { signal: opts.signal } : {},
  );
  out.write(
    `${plural(accounts.length, 'account')} × ${plural(regions.length, 'region')} (${regions.join(', ')}) = ${plural(targets, 'target')}, role ${opts.role}\n`,
  );
}
