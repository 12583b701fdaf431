// Shared inputs of the IAM Identity Center unit tests.
import type { SsoSession } from '../../src/config/sso-settings.js';

/** An sso-session as `resolveSsoSession` returns it, for tests that need one but no config. */
export const TEST_SSO_SESSION: SsoSession = {
  name: 'corp',
  legacy: false,
  startUrl: 'https://x.awsapps.com/start',
  region: 'us-east-1',
  scopes: ['sso:account:access'],
  origin: 'test',
};

/** An error with the SDK's `name` for an AWS error code, as a scripted port throws it. */
export function sdkError(name: string): Error {
  return Object.assign(new Error(name), { name });
}
