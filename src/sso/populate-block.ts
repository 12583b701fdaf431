/**
 * `rolehop sso populate`: one AWS config profile per account and role an
 * IAM Identity Center session assigns, as a marker-wrapped block that
 * `mergeConfig` merges into the config file without touching the user's own
 * sections. Pure.
 */
import { beginMarker, endMarker, profileNameFor } from '../bundles/config-block.js';
import { quotedName } from '../config/profile-name.js';

/** One profile of a populated block: its name, and the account and role (permission set) it signs in to. */
export interface SsoPopulatedProfile {
  name: string;
  accountId: string;
  accountName?: string;
  roleName: string;
}

/** The block's id in its marker lines: what a rerun replaces. */
export function populateBlockId(session: string): string {
  return `sso-session:${session}`;
}

/**
 * The block for `session`: profiles named by `template` (`{account}`,
 * `{account_name}`, `{role}`; sanitised as `config generate` does), sorted
 * by name. A name already taken (by an earlier assignment, or one of
 * `reserved`: the user's own profiles are not) gets the account id
 * appended, and the clash is listed in `clashes`.
 */
export function ssoPopulateBlock(input: { session: string; assignments: Array<Omit<SsoPopulatedProfile, 'name'>>; template: string; region?: string }): {
  text: string;
  profiles: SsoPopulatedProfile[];
  clashes: string[];
} {
  const taken = new Set<string>();
  const clashes: string[] = [];
  const profiles: SsoPopulatedProfile[] = [];
  for (const a of input.assignments) {
    const base = profileNameFor(input.template, { account: a.accountId, ...(a.accountName ? { accountName: a.accountName } : {}), role: a.roleName });
    let name = base;
    for (let n = 2; taken.has(name); n++) name = n === 2 ? `${base}-${a.accountId}` : `${base}-${a.accountId}-${n}`;
    if (name !== base) clashes.push(`${quotedName(base)} would name two profiles; ${a.roleName} in ${a.accountId} is named ${quotedName(name)}`);
    taken.add(name);
    profiles.push({ ...a, name });
  }
  profiles.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const id = populateBlockId(input.session);
  const lines = [beginMarker(id)];
  for (const p of profiles) {
    lines.push(
      '',
      `[profile ${p.name}]`,
      `# rolehop: sso-session ${input.session}, account ${p.accountId}${p.accountName ? ` (${p.accountName.replace(/[\p{C}]/gu, '?')})` : ''}`,
      `sso_session = ${input.session}`,
      `sso_account_id = ${p.accountId}`,
      `sso_role_name = ${p.roleName}`,
    );
    if (input.region) lines.push(`region = ${input.region}`);
  }
  lines.push('', endMarker(id));
  return { text: lines.join('\n') + '\n', profiles, clashes };
}
