import type { AmiRow } from '../../sweeps/ami/index.js';
import { escapeControl } from './escape-control.js';
import { plural } from './plural.js';

function who(r: AmiRow): string {
  const name = r.instanceName !== undefined ? ` (${escapeControl(r.instanceName)})` : '';
  return `${r.account} ${r.region} ${r.instance ?? '?'}${name}`;
}

function aboutImage(r: AmiRow): string {
  const parts = [r.name !== undefined ? `"${escapeControl(r.name)}"` : undefined, r.created ? `created ${r.created}` : undefined].filter(Boolean);
  return `${r.image}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * One AMI row for a person: what was done on stdout (✓ done, · would do or
 * kept), what failed on stderr (✗ with the stable code). A `deregistered`
 * row with an error gets both. Text from AWS is escaped.
 */
export function amiRowText(r: AmiRow): { out: string; err: string } {
  let out = '';
  switch (r.action) {
    case 'created':
      out = `✓ ${who(r)}: created ${aboutImage(r)}, ${plural(r.snapshots.length, 'snapshot')} tagged${r.state ? `, ${r.state}` : ''}\n`;
      break;
    case 'would-create':
      out = `· ${who(r)}: would create "${escapeControl(r.name ?? '')}"\n`;
      break;
    case 'copied':
      out = `✓ ${who(r)}: copied ${r.sourceImage} from ${r.sourceRegion} as ${r.image}, ${plural(r.snapshots.length, 'snapshot')} tagged\n`;
      break;
    case 'deregistered':
      out = `✓ ${who(r)}: deregistered ${aboutImage(r)}, deleted ${plural(r.snapshots.length, 'snapshot')}\n`;
      break;
    case 'would-deregister':
      out = `· ${who(r)}: would deregister ${aboutImage(r)} and delete ${plural(r.snapshots.length, 'snapshot')}\n`;
      break;
    case 'snapshots-deleted':
      out = `✓ ${who(r)}: deleted ${plural(r.snapshots.length, 'snapshot')} left by ${r.image}, already deregistered\n`;
      break;
    case 'would-delete-snapshots':
      out = `· ${who(r)}: would delete ${plural(r.snapshots.length, 'snapshot')} left by ${r.image}, already deregistered\n`;
      break;
    case 'kept':
      out = `· ${who(r)}: kept ${aboutImage(r)}: ${escapeControl(r.reason ?? 'in use')}\n`;
      break;
    case 'not-started':
      out = `- ${who(r)}: not started${r.image ? ` (${aboutImage(r)})` : ''}: the run was stopped\n`;
      break;
    case 'failed':
      break;
  }
  const err = r.error ? `✗ ${who(r)}${r.image ? ` ${r.image}` : ''}: ${r.error.code} ${escapeControl(r.error.message)}\n` : '';
  return { out, err };
}

/** Counts of rows per action, for the summary line. */
export function countActions(rows: readonly AmiRow[]): Map<AmiRow['action'], number> {
  const n = new Map<AmiRow['action'], number>();
  for (const r of rows) n.set(r.action, (n.get(r.action) ?? 0) + 1);
  return n;
}
