/**
 * Makes `raw` a valid IAM name of the kind STS takes for role session names
 * and federated user names: characters outside `[\w+=,.@-]` become `-`, and
 * the result is cut to `maxLength` (64 for AssumeRole's RoleSessionName, 32
 * for GetFederationToken's Name). See the AssumeRole API reference:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function safeSessionName(raw: string, maxLength = 64): string {
  return raw.replace(/[^\w+=,.@-]/g, '-').slice(0, maxLength);
}

/**
 * The default `role_session_name`: `rolehop-<userName>` reduced to the
 * characters STS allows and to 64 characters. Deterministic (no timestamp) so
 * session cache keys stay stable and CloudTrail shows who assumed the role.
 */
export function defaultRoleSessionName(userName: string): string {
  return safeSessionName(`rolehop-${userName}`);
}
