import { ErrorCodes, RolehopError } from '../errors.js';
import { consoleHost, type Partition } from '../aws/partition.js';

/** What a console destination is made of. */
export interface DestinationInput {
  partition: Partition;
  /** Console region; adds `region=` to the query when set. */
  region?: string;
  /**
   * Path on the console host, with or without a leading slash, optionally
   * with its own query and fragment (e.g. `ec2/home#Instances:`).
   * Default `console/home`.
   */
  path?: string;
}

/** Default console page. */
export const DEFAULT_CONSOLE_PATH = 'console/home';

/**
 * Builds the console URL the login lands on, in the same partition as the
 * credentials: `https://<host>/<path>?region=<region>`. A `region=` already
 * in the path wins; a fragment stays last. Full URLs are refused so that
 * `--path` cannot send the session to another site.
 */
export function buildDestination(input: DestinationInput): string {
  const raw = (input.path ?? DEFAULT_CONSOLE_PATH).trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) {
    throw new RolehopError(ErrorCodes.USAGE, '--path must be a path on the console, not a full URL', {
      hint: 'For example: --path ec2/home or --path s3/buckets',
    });
  }
  const url = new URL(`https://${consoleHost(input.partition, input.region)}/${raw.replace(/^\/+/, '')}`);
  if (input.region && !url.searchParams.has('region')) url.searchParams.set('region', input.region);
  return url.toString();
}

/** The parts of the final sign-in link. */
export interface LoginUrlInput {
  /** The federation endpoint the token came from (same host for both steps). */
  federationEndpoint: string;
  /** Shown by the console as the link back when the session ends. */
  issuer: string;
  destination: string;
  signinToken: string;
}

/**
 * `<federation endpoint>?Action=login&Issuer=…&Destination=…&SigninToken=…`,
 * every value percent-encoded. The result grants console access for
 * 15 minutes: it is a secret, never log it.
 */
export function buildLoginUrl(input: LoginUrlInput): string {
  const q = (v: string) => encodeURIComponent(v);
  const sep = input.federationEndpoint.includes('?') ? '&' : '?';
  return `${input.federationEndpoint}${sep}Action=login&Issuer=${q(input.issuer)}&Destination=${q(input.destination)}&SigninToken=${q(input.signinToken)}`;
}
