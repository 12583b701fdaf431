/**
 * A resolution plan: pure data describing how to obtain credentials for a
 * profile. Produced by `resolvePlan` (config layer), executed by the
 * session broker (`Broker.credentials`, sessions layer). Nothing here performs I/O.
 */
import type { SsoSession } from './sso-settings.js';

/** Where the first credentials of a chain come from. */
export type SourceStep =
  /** A long-lived IAM key kept in the rolehop vault under `keyId(profile)`. */
  | { kind: 'stored-key'; profile: string }
  /** `credential_source = Environment`: AWS_ACCESS_KEY_ID & co. of rolehop's own environment. */
  | { kind: 'environment'; profile: string }
  /** `credential_process` of the source profile. */
  | { kind: 'process'; profile: string; command: string }
  /** An IAM Identity Center profile: the session's token, then GetRoleCredentials for the account and role. */
  | { kind: 'sso'; profile: string; session: SsoSession; accountId: string; roleName: string }
  /**
   * AssumeRoleWithWebIdentity (an unsigned STS call) with the token read
   * from `tokenFile` on every call, since OIDC tokens rotate: a profile with
   * `web_identity_token_file`, or `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`.
   */
  | { kind: 'web-identity'; profile: string; roleArn: string; roleSessionName: string; tokenFile: string; durationSeconds: number }
  /**
   * `credential_source = EcsContainer` or the container variables: a GET of
   * `url` (already checked against the hosts the SDKs allow) with the
   * authorization token, if any, read at call time from where it is named.
   */
  | { kind: 'container'; profile: string; url: string; authorization?: ContainerAuthorization }
  /** `credential_source = Ec2InstanceMetadata`: IMDSv2 at `endpoint` (scheme, host and port only). */
  | { kind: 'imds'; profile: string; endpoint: string };

/**
 * Where the container endpoint's `Authorization` value comes from. Only the
 * place is named, never the value: plans are shown and compared, tokens not.
 */
export type ContainerAuthorization = { from: 'file'; path: string } | { from: 'env' };

/** An STS GetSessionToken step on the source credentials. */
export interface SessionStep {
  /** Profile whose settings produced the step (the source profile). */
  profile: string;
  /** MFA device; absent for a session without MFA. */
  mfaSerial?: string;
  /** `mfa_process` to obtain the code, if configured. */
  mfaProcess?: string;
  durationSeconds: number;
}

/** One STS AssumeRole call. */
export interface HopStep {
  /** Profile that declares `role_arn`. */
  profile: string;
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  durationSeconds: number;
  /** Set only when this hop itself must send SerialNumber/TokenCode. */
  mfaSerial?: string;
  mfaProcess?: string;
}

/** Custom endpoints for AWS calls (moto, LocalStack, VPC endpoints). */
export interface Endpoints {
  sts?: string;
  iam?: string;
  organizations?: string;
}

export interface Plan {
  /** The profile asked for. */
  profile: string;
  /** Region for STS calls and the child (`AWS_REGION`); undefined when not configured. */
  region?: string;
  source: SourceStep;
  /** GetSessionToken before the hops, or undefined to use the source directly. */
  session?: SessionStep;
  /** AssumeRole hops, in call order. Empty for a plain key profile. */
  hops: HopStep[];
  endpoints: Endpoints;
  /** Non-fatal notes for the user (e.g. a duration capped to 1 h). */
  warnings: string[];
}

/** Options from the command line that change the plan. */
export interface PlanOptions {
  /** Override `region`. */
  region?: string;
  /** Override the final hop's (or the session's) duration. */
  durationSeconds?: number;
  /** Skip GetSessionToken and use long-lived keys directly (like aws-vault --no-session). */
  noSession?: boolean;
}

/** Default duration of the MFA session (GetSessionToken), 8 h as aws-vault's chained default. */
export const DEFAULT_SESSION_SECONDS = 8 * 3600;
/** Default and chained maximum AssumeRole duration. */
export const ROLE_CHAIN_MAX_SECONDS = 3600;
