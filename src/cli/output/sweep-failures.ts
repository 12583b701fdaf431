import type { TargetResult } from '../../engine/types.js';
import { escapeControl } from './escape-control.js';

/** A target a sweep could not cover, for a person (stderr): account, region, the stable code and why. */
export function failureText(r: TargetResult): string {
  return `✗ ${r.account}${r.name ? ` (${escapeControl(r.name)})` : ''} ${r.region}: ${r.error?.code ?? 'ERR_JOB'} ${escapeControl(r.error?.message ?? 'failed')}\n`;
}

/** The same as one NDJSON line on stdout (`--json`): `{account, region, error: {code, message}}`, so a script sees what was not covered. */
export function failureJson(r: TargetResult): string {
  return (
    JSON.stringify({
      account: r.account,
      region: r.region,
      ...(r.name ? { name: r.name } : {}),
      error: { code: r.error?.code ?? 'ERR_JOB', message: r.error?.message ?? 'failed' },
    }) + '\n'
  );
}
