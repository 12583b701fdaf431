import type { Credentials } from '../credentials/types.js';

/** Where and how to reach STS. */
export interface StsTarget {
  /** Region to sign for and to pick the regional endpoint; default us-east-1. */
  region?: string;
  /** Custom endpoint URL (AWS_ENDPOINT_URL_STS, moto in tests). */
  endpoint?: string;
}

export interface AssumeRoleInput {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  externalId?: string;
  serialNumber?: string;
  tokenCode?: string;
}

/** AssumeRoleWithWebIdentity's input; the token is a secret and never appears in errors. */
export interface WebIdentityInput {
  roleArn: string;
  roleSessionName: string;
  webIdentityToken: string;
  durationSeconds?: number;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/**
 * The STS calls rolehop makes, behind a narrow port so core logic can be
 * tested with fakes. Implementations map AWS errors to RolehopErrors
 * (see `aws/map-error.ts`) and never include secrets in messages.
 */
export interface StsPort {
  getSessionToken(caller: Credentials, input: { durationSeconds?: number; serialNumber?: string; tokenCode?: string }): Promise<Credentials>;
  assumeRole(caller: Credentials, input: AssumeRoleInput): Promise<Credentials>;
  /** Unsigned: the OIDC token is the caller's only proof. */
  assumeRoleWithWebIdentity(input: WebIdentityInput): Promise<Credentials>;
  getCallerIdentity(caller: Credentials): Promise<CallerIdentity>;
  getFederationToken(caller: Credentials, input: { name: string; durationSeconds?: number; policy?: string }): Promise<Credentials>;
}

/** The one STS call fan-out makes per account. */
export type AssumePort = Pick<StsPort, 'assumeRole'>;
