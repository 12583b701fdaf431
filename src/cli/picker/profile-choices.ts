import type { AwsConfig } from '../../config/aws-config.js';
import { listProfiles } from '../../config/list-profiles.js';

/** One line of the profile picker: a profile and what it can be found by. */
export interface ProfileChoice {
  name: string;
  /** The role's account (role_arn or sso_account_id). */
  accountId?: string;
  /** The account's name in the cached Organizations inventory. */
  accountName?: string;
  /** The role's name with its path (role_arn or sso_role_name). */
  roleName?: string;
}

/** The config's profiles, sorted by name, with the account names known for their accounts. Pure. */
export function profileChoices(config: AwsConfig, accountNames: ReadonlyMap<string, string>): ProfileChoice[] {
  return listProfiles(config).map((p) => {
    const accountName = p.accountId ? accountNames.get(p.accountId) : undefined;
    return {
      name: p.name,
      ...(p.accountId ? { accountId: p.accountId } : {}),
      ...(accountName ? { accountName } : {}),
      ...(p.roleName ? { roleName: p.roleName } : {}),
    };
  });
}

/**
 * A choice as one picker line: the name padded to `nameWidth`, then the
 * account id, the account name in parentheses and the role, where known.
 */
export function choiceLabel(c: ProfileChoice, nameWidth: number): string {
  const details = [c.accountId, c.accountName ? `(${c.accountName})` : undefined, c.roleName].filter(Boolean).join(' ');
  return details ? `${c.name.padEnd(nameWidth)}  ${details}` : c.name;
}
