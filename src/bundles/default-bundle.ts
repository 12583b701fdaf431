import { ErrorCodes, RolehopError } from '../errors.js';

/**
 * The starter bundle rolehop writes for a new user: three tiers of
 * cross-account roles, each assumable only from the identity account and only
 * with MFA. The comments are the documentation of the file format, so they
 * explain every key where it first appears.
 */

/**
 * A commented bundle file for `identityAccount` (a 12-digit account id) with
 * RolehopAdministrator, RolehopOperator and RolehopSpectator and one identity
 * group per tier. It parses with `parseBundle` and lints without findings.
 *
 * @throws RolehopError ERR_USAGE when `identityAccount` is not 12 digits.
 */
export function defaultBundleText(identityAccount: string): string {
  if (!/^\d{12}$/.test(identityAccount)) {
    throw new RolehopError(ErrorCodes.USAGE, `identity account must be a 12-digit account id, not "${identityAccount}"`, {
      hint: 'Use the id of the account your IAM users live in (aws sts get-caller-identity shows it).',
    });
  }
  return `# rolehop role bundle: the standard roles to keep in every member account.
# Keys are camelCase; a key rolehop does not know is an error, not ignored.
version: 1

# The bundle's name. rolehop tags every role it creates with rolehop:bundle=<name>
# and only ever changes or removes roles carrying that tag, so several bundles
# can share accounts.
name: standard

# The account your users sign in to. Every role below trusts it, and only it.
# Quote account ids: unquoted, YAML reads them as numbers.
identityAccount: "${identityAccount}"

# IAM path of the roles (each role may set its own). A path of its own keeps
# rolehop's roles apart from everyone else's.
path: /rolehop/

# Which accounts of the run's selection get the bundle. Leave it out for all.
# accounts:
#   ous: [ou-abcd-12345678]        # under these OUs (recursively)
#   tags: { environment: prod }    # with all of these Organizations tags
#   names: ["prod-*"]              # whose names match one of these globs
#   exclude: ["222222222222"]      # never these

roles:
  # Full control. Keep the group that may use it small.
  - name: RolehopAdministrator
    description: Full administrator, assumed from the identity account with MFA
    trust:
      # Only sessions that proved MFA may assume the role. There is no
      # maxMfaAgeSeconds: rolehop's MFA session lasts 8 h, and an age limit
      # shorter than that would lock the role out partway through a session.
      mfa: true
    # Short names are AWS managed policies (arn:<partition>:iam::aws:policy/<name>).
    managedPolicies: [AdministratorAccess]
    # Seconds an assumed session lasts (1 h to 12 h). Short for the most power.
    maxSessionDuration: 3600
    # tags:
    #   team: platform

  # Day-to-day work on every service, without changing IAM.
  - name: RolehopOperator
    description: Power user without IAM, assumed from the identity account with MFA
    trust:
      mfa: true
    # PowerUserAccess allows everything except IAM, Organizations and Account.
    managedPolicies: [PowerUserAccess]
    inlinePolicies:
      # PowerUserAccess has no iam:PassRole, so operators could not start an
      # instance, a function or a task that runs under a role. This passes
      # only roles under /app/: passing any role (Resource "*") would let an
      # operator hand a service this account's administrator role.
      # \${partition} and \${account} are filled in for each account.
      pass-app-roles:
        Version: "2012-10-17"
        Statement:
          - Sid: PassApplicationRoles
            Effect: Allow
            Action: iam:PassRole
            Resource: "arn:\${partition}:iam::\${account}:role/app/*"
    maxSessionDuration: 3600

  # Looking, not touching.
  - name: RolehopSpectator
    description: View-only access to resource metadata, assumed from the identity account with MFA
    trust:
      mfa: true
    # ViewOnlyAccess lists and describes resources but reads no data.
    # ReadOnlyAccess would also read data (S3 objects, table items, ...),
    # which is usually more than a spectator should see.
    managedPolicies: [job-function/ViewOnlyAccess]
    # Nothing to change with it, so a working day's session is fine.
    maxSessionDuration: 14400

# What rolehop manages in the identity account so its users can reach the roles.
identity:
  # IAM groups, each allowed to assume the listed roles in every member account.
  groups:
    RolehopAdministrators: [RolehopAdministrator]
    RolehopOperators: [RolehopOperator]
    RolehopSpectators: [RolehopSpectator]
  # Name of the policy allowing sts:AssumeRole on one role; {role} is its name.
  policyName: rolehop-assume-{role}
  # Also deny everything but managing one's own MFA device to sessions without MFA.
  mfaGuard: true
`;
}
