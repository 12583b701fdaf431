// A fake Broker for in-process agent tests: profile `bad` fails with
// ERR_PROFILE_NOT_FOUND, `mfa` asks for a code (123456 is right), every other
// profile answers after 50 ms. Counts its credential calls.
import { ErrorCodes, RolehopError } from '../../src/errors.js';
import type { Broker } from '../../src/sessions/broker-contract.js';
import type { Context, Prompter } from '../../src/io/context.js';

export const silent = { debug() {}, info() {}, warn() {} };
export const noPlan: Broker['plan'] = () => {
  throw new Error('plan not needed');
};

export function fakeBrokerFactory() {
  const made: Context[] = [];
  let calls = 0;
  const factory = (ctx: Context): Broker => {
    made.push(ctx);
    return {
      plan: noPlan,
      async credentials(profile) {
        calls++;
        if (profile === 'bad') throw new RolehopError(ErrorCodes.PROFILE_NOT_FOUND, 'no profile "bad"', { hint: 'check config' });
        if (profile === 'mfa') {
          const code = await ctx.prompter.mfaCode({ serial: 'arn:aws:iam::123456789012:mfa/alice', profile });
          if (code !== '123456') throw new RolehopError(ErrorCodes.MFA_INVALID, 'wrong code');
        }
        await new Promise((r) => setTimeout(r, 50));
        return {
          credentials: { accessKeyId: 'ASIAAGENT', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T00:00:00Z') },
          plan: { profile, region: ctx.env.AWS_REGION, source: { kind: 'stored-key', profile }, hops: [], endpoints: {}, warnings: [] },
          fromCache: false,
        };
      },
      async sessionCredentials(p, r) {
        return this.credentials(p, r);
      },
      async assumeRole() {
        return { accessKeyId: 'ASIAROLE', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T00:00:00Z') };
      },
      async storedKey() {
        return { accessKeyId: 'AKIA', secretAccessKey: 'k' };
      },
      async clearSessions() {
        return 3;
      },
    };
  };
  return {
    factory,
    made,
    get calls() {
      return calls;
    },
  };
}

export const prompter = (code = '123456'): Prompter => ({
  mfaCode: async () => code,
  passphrase: async () => 'x',
  text: async () => 'x',
});
