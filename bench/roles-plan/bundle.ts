// The roles-plan benchmark's bundle: three roles with inline policies only
// (moto then needs no AWS managed policies loaded, which would cost it ~1,300
// policies per account). Its own file so the engine child imports no more
// than it needs.
import { MGMT } from '../../test/engine/moto-org.js';

/** The three role names every target gets. */
export const BENCH_ROLES = ['RolehopAdministrator', 'RolehopOperator', 'RolehopSpectator'];

/** The bundle file the benchmark plans (identity account: moto's management account). */
export const BENCH_BUNDLE = `
version: 1
name: bench
identityAccount: "${MGMT.accountId}"
roles:
  - name: RolehopAdministrator
    description: Full access, from the identity account with MFA
    inlinePolicies:
      admin:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
  - name: RolehopOperator
    description: Everything but IAM
    inlinePolicies:
      power-user:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            NotAction: [iam:*, organizations:*, account:*]
            Resource: "*"
      pass-app-roles:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [iam:PassRole, iam:GetRole]
            Resource: ["arn:\${partition}:iam::\${account}:role/app/*"]
    tags: { team: platform, tier: operator }
  - name: RolehopSpectator
    maxSessionDuration: 14400
    inlinePolicies:
      view-only:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: ["*:Describe*", "*:List*", "*:Get*"]
            Resource: "*"
`;
