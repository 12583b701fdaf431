/**
 * IAM Identity Center: the API the CLI, the broker and the library use.
 * `ssoToken` for a valid access token (refreshing or logging in under a
 * lock), `ssoRoleCredentials` to turn it into role credentials,
 * `ssoAccounts` / `ssoAccountRoles` to list assignments, `ssoLogout`, and
 * `ssoLoginStatus` for `list`.
 */
export { ssoToken, ssoLoginStatus, DEFAULT_MIN_TOKEN_TTL_MS, type SsoTokenOptions } from './sso-token.js';
export { ssoRoleCredentials, ssoAccounts, ssoAccountRoles, type SsoAccount, type PortalDeps } from './portal.js';
export { ssoLogout } from './sso-logout.js';
export { awsCliCacheDirFor } from './aws-cli-cache.js';
export type { SsoAccessToken, SsoDeps, SsoFlow, LoginPresenter, LoginPrompt } from './types.js';
export { ssoAssignments, type SsoAssignment } from './assignments.js';
export { ssoPopulateBlock, populateBlockId, type SsoPopulatedProfile } from './populate-block.js';
