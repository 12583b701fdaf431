import type { SelectedAccount } from '../../engine/selection.js';

/** The selection as printed by `rolehop run` without a command. */
export async function selectionText(accounts: SelectedAccount[], regions: string[], json: boolean, role: string): Promise<string> {
  if (json)
    return `${JSON.stringify({ role, regions, targets: accounts.length * regions.length, accounts: accounts.map((a) => ({ account: a.account, name: a.name ?? null })) }, null, 2)}\n`;
  const { default: Table } = await import('cli-table3');
  const t = new Table({ head: ['Account', 'Name'], style: { head: [], border: [] } });
  for (const a of accounts) t.push([a.account, a.name ?? '']);
  return `${t.toString()}\n${accounts.length} accounts × ${regions.length} regions (${regions.join(', ')}) = ${accounts.length * regions.length} targets, role ${role}\n`;
}
