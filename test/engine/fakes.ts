import type { Credentials } from '../../src/credentials/types.js';
import type { AssumeRoleInput } from '../../src/aws/sts-port.js';
import type { Broker } from '../../src/sessions/broker-contract.js';
import { ErrorCodes, RolehopError } from '../../src/errors.js';
import { mapAwsError } from '../../src/aws/map-error.js';

/** A Broker whose session credentials are fixed; counts sessionCredentials calls. */
export function fakeBroker(opts: { region?: string; sessionMs?: number; now?: () => number } = {}) {
  const calls = { session: 0 };
  const broker: Broker = {
    plan: (profile: string) => ({
      profile,
      region: opts.region ?? 'us-east-1',
      source: { kind: 'stored-key', profile },
      hops: [],
      endpoints: {},
      warnings: [],
    }),
    async credentials() {
      throw new Error('not used');
    },
    async sessionCredentials(profile: string) {
      calls.session++;
      const now = opts.now?.() ?? Date.now();
      const credentials: Credentials = {
        accessKeyId: 'ASIASESSION',
        secretAccessKey: 'sessionsecret',
        sessionToken: 'tok',
        accountId: '123456789012',
        expiration: new Date(now + (opts.sessionMs ?? 8 * 3600_000)),
      };
      return { credentials, plan: broker.plan(profile), fromCache: false };
    },
    async assumeRole() {
      throw new Error('not used');
    },
    async storedKey() {
      throw new Error('not used');
    },
    async clearSessions() {
      return 0;
    },
  };
  return { broker, calls };
}

/** An AWS-shaped SDK error. */
export function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, $fault: status >= 500 ? 'server' : 'client' });
}

/** A fake STS: answers AssumeRole for any role, with optional faults. */
export function fakeSts(opts: { deny?: Set<string>; throttleRate?: number; delayMs?: number; now?: () => number; random?: (key: string) => number } = {}) {
  const calls: AssumeRoleInput[] = [];
  let inflight = 0;
  let maxInflight = 0;
  const rnd = opts.random ?? (() => Math.random());
  return {
    calls,
    get maxInflight() {
      return maxInflight;
    },
    async assumeRole(_caller: Credentials, input: AssumeRoleInput): Promise<Credentials> {
      calls.push(input);
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      try {
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        const account = input.roleArn.split(':')[4]!;
        if (opts.throttleRate && rnd(input.roleArn) < opts.throttleRate) throw mapAwsError(awsError('Throttling', 400), `AssumeRole ${input.roleArn}`);
        if (opts.deny?.has(account))
          throw new RolehopError(ErrorCodes.AWS_ACCESS_DENIED, `AssumeRole ${input.roleArn} failed: AccessDenied`, {
            details: { awsCode: 'AccessDenied', httpStatus: 403 },
          });
        const now = opts.now?.() ?? Date.now();
        return { accessKeyId: `ASIA${account}`, secretAccessKey: 's', sessionToken: 't', accountId: account, expiration: new Date(now + 3600_000) };
      } finally {
        inflight--;
      }
    },
  };
}

/** `n` distinct 12-digit account ids. */
export function accounts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(100000000000 + i * 7919));
}
