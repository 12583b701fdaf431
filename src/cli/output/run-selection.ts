import type { RegionChoice } from '../../engine/regions.js';
import type { SelectedAccount } from '../../engine/selection.js';
import { plural } from './plural.js';
import { writeTable } from './row-table.js';

/**
 * Writes the selection as `rolehop run` without a command prints it: a table
 * of accounts (plain rows past `BORDERED_ROW_LIMIT`, see `row-table.ts`) and a summary
 * line, or one JSON document. The preview asks no account, so with `all`
 * it names no region count it cannot know: the line says each account's
 * enabled regions (and the ones listed besides `all`), and the JSON has
 * `allEnabledRegions: true`, only the listed names in `regions` and
 * `targets: null`. Linear in the number of accounts; an abort of `signal`
 * stops it with ERR_ABORTED.
 */
export async function writeSelection(
  out: NodeJS.WritableStream,
  accounts: SelectedAccount[],
  regions: RegionChoice,
  opts: { json: boolean; role: string; signal?: AbortSignal },
): Promise<void> {
  const targets = regions.all ? null : accounts.length * regions.listed.length;
  if (opts.json) {
    const list = accounts.map((a) => ({ account: a.account, name: a.name ?? null }));
    const where = regions.all ? { regions: regions.listed, allEnabledRegions: true } : { regions: regions.listed };
    out.write(`${JSON.stringify({ role: opts.role, ...where, targets, accounts: list }, null, 2)}\n`);
    return;
  }
  await writeTable(
    out,
    ['Account', 'Name'],
    accounts.map((a) => [a.account, a.name ?? '']),
    opts.signal ? { signal: opts.signal } : {},
  );
  out.write(`${plural(accounts.length, 'account')} × ${regionsPhrase(regions, accounts.length)}, role ${opts.role}\n`);
}

/** `2 regions (us-east-1, eu-west-1) = 6 targets`; for `all`, what the run will ask each account instead of a count. */
function regionsPhrase(regions: RegionChoice, accounts: number): string {
  const listed = regions.listed.join(', ');
  if (regions.all) return `each account's enabled regions${listed ? ` and ${listed}` : ''} (asked when the run starts)`;
  return `${plural(regions.listed.length, 'region')} (${listed}) = ${plural(accounts * regions.listed.length, 'target')}`;
}
