import { mapLimit } from '../async/map-limit.js';
import { ssoAccountRoles, ssoAccounts, type PortalDeps } from './portal.js';
import type { SsoPopulatedProfile } from './populate-block.js';
import type { SsoAccessToken } from './types.js';

/** ListAccountRoles calls in flight at once. */
const ROLE_LOOKUPS = 8;

/** What the portal returns is remote data written into config files and ARNs: only names AWS itself allows pass. */
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,128}$/;

/** One account and role (permission set) an Identity Center session assigns. */
export type SsoAssignment = Omit<SsoPopulatedProfile, 'name'>;

/**
 * Every account the token's user is assigned (ListAccounts, all pages) with
 * each of its roles (ListAccountRoles per account, {@link ROLE_LOOKUPS} at a
 * time), in the portal's order. Entries whose account id or role name is
 * not one AWS allows are dropped and counted in `dropped`.
 */
export async function ssoAssignments(token: SsoAccessToken, deps: PortalDeps): Promise<{ assignments: SsoAssignment[]; dropped: number }> {
  const accounts = await ssoAccounts(token, deps);
  const roles = await mapLimit(accounts, ROLE_LOOKUPS, (a) => ssoAccountRoles(token, a.accountId, deps));
  const assignments: SsoAssignment[] = [];
  let dropped = 0;
  accounts.forEach((a, i) => {
    for (const roleName of roles[i]!) {
      if (!ACCOUNT_ID.test(a.accountId) || !ROLE_NAME.test(roleName)) dropped++;
      else assignments.push({ accountId: a.accountId, ...(a.accountName ? { accountName: a.accountName } : {}), roleName });
    }
  });
  return { assignments, dropped };
}
