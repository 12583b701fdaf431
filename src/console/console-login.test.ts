import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StsPort } from '../aws/sts-port.js';
import type { Plan } from '../config/plan.js';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes } from '../errors.js';
import type { Broker } from '../sessions/broker-contract.js';
import { createConsoleLogin } from './console-login.js';
import { isChainedRole } from './console-credentials.js';
import { federationName, ALLOW_ALL_POLICY } from './federation-name.js';
import type { FetchLike } from './signin-token.js';

const ROLE = (acct: string, name = 'Admin') => `arn:aws:iam::${acct}:role/${name}`;

function plan(p: Partial<Plan> & { profile: string }): Plan {
  return { source: { kind: 'stored-key', profile: 'base' }, hops: [], endpoints: {}, warnings: [], ...p };
}
const hop = (profile: string, roleArn: string) => ({ profile, roleArn, roleSessionName: 's', durationSeconds: 3600 });

const ROLE_CREDS: Credentials = { accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token' };
const FED_CREDS: Credentials = { accessKeyId: 'ASIAFED', secretAccessKey: 'fed-secret', sessionToken: 'fed-token' };
const KEY = { accessKeyId: 'AKIAUSER', secretAccessKey: 'user-secret' };

function fixture(plans: Record<string, Plan>, opts: { callerArn?: string } = {}) {
  const calls: string[] = [];
  const fedInputs: { caller: Credentials; input: { name: string; durationSeconds?: number; policy?: string } }[] = [];
  const broker: Pick<Broker, 'plan' | 'credentials' | 'storedKey'> = {
    plan: (p) => plans[p]!,
    credentials: async (p) => {
      calls.push(`credentials:${p}`);
      return { credentials: ROLE_CREDS, plan: plans[p]!, fromCache: false };
    },
    storedKey: async (p) => {
      calls.push(`storedKey:${p}`);
      return KEY;
    },
  };
  const sts = (): StsPort => ({
    getSessionToken: async () => assert.fail('no GetSessionToken'),
    assumeRole: async () => assert.fail('no AssumeRole'),
    assumeRoleWithWebIdentity: async () => assert.fail('no AssumeRoleWithWebIdentity'),
    getCallerIdentity: async (c) => {
      calls.push(`identity:${c.accessKeyId}`);
      return { account: '123456789012', arn: opts.callerArn ?? 'arn:aws:iam::123456789012:user/dev/alice', userId: 'AIDA' };
    },
    getFederationToken: async (caller, input) => {
      fedInputs.push({ caller, input });
      return FED_CREDS;
    },
  });
  const posted: URLSearchParams[] = [];
  const urls: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    urls.push(url);
    posted.push(new URLSearchParams(init.body));
    return { status: 200, text: async () => JSON.stringify({ SigninToken: 'TOKEN' }) };
  };
  return { broker, sts, fetch, calls, fedInputs, posted, urls };
}

describe('isChainedRole', () => {
  it('is false only for one hop straight from a stored key', () => {
    assert.equal(isChainedRole(plan({ profile: 'a', hops: [hop('a', ROLE('1'))] })), false);
    assert.equal(isChainedRole(plan({ profile: 'a', hops: [hop('a', ROLE('1')), hop('b', ROLE('2'))] })), true);
    assert.equal(
      isChainedRole(
        plan({ profile: 'a', hops: [hop('a', ROLE('1'))], session: { profile: 'base', mfaSerial: 'arn:aws:iam::1:mfa/x', durationSeconds: 3600 } }),
      ),
      true,
    );
    assert.equal(isChainedRole(plan({ profile: 'a', source: { kind: 'process', profile: 'a', command: 'x' }, hops: [hop('a', ROLE('1'))] })), true);
  });
});

describe('federationName', () => {
  it('is the user name, cut to 32, or rolehop', () => {
    assert.equal(federationName('arn:aws:iam::1:user/alice'), 'alice');
    assert.equal(federationName('arn:aws:iam::1:user/a/b/bob'), 'bob');
    assert.equal(federationName(`arn:aws:iam::1:user/${'x'.repeat(40)}`), 'x'.repeat(32));
    assert.equal(federationName('arn:aws:iam::1:root'), 'rolehop');
    assert.deepEqual(JSON.parse(ALLOW_ALL_POLICY).Statement, [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  });
});

describe('createConsoleLogin', () => {
  it('signs in a direct role with SessionDuration', async () => {
    const f = fixture({ admin: plan({ profile: 'admin', region: 'eu-west-1', hops: [hop('admin', ROLE('111122223333'))] }) });
    const login = await createConsoleLogin({ broker: f.broker, sts: f.sts, fetch: f.fetch }, { profile: 'admin', durationSeconds: 7200, path: 'ec2/home' });
    assert.equal(login.kind, 'role');
    assert.equal(login.sessionDuration, 7200);
    assert.equal(f.urls[0], 'https://eu-west-1.signin.aws.amazon.com/federation');
    assert.deepEqual([...f.posted[0]!.keys()], ['Action', 'SessionDuration', 'Session']);
    assert.deepEqual(JSON.parse(f.posted[0]!.get('Session')!), { sessionId: 'ASIAROLE', sessionKey: 'role-secret', sessionToken: 'role-token' });
    const url = new URL(login.url);
    assert.equal(url.origin + url.pathname, 'https://eu-west-1.signin.aws.amazon.com/federation');
    assert.equal(url.searchParams.get('Action'), 'login');
    assert.equal(url.searchParams.get('Issuer'), 'rolehop');
    assert.equal(url.searchParams.get('Destination'), 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1');
    assert.equal(url.searchParams.get('SigninToken'), 'TOKEN');
    assert.deepEqual(f.calls, ['credentials:admin']);
  });

  it('omits SessionDuration for chained roles and warns', async () => {
    const warnings: string[] = [];
    const f = fixture({
      two: plan({
        profile: 'two',
        hops: [hop('one', ROLE('1')), hop('two', ROLE('2'))],
        session: { profile: 'base', mfaSerial: 'arn:aws:iam::1:mfa/a', durationSeconds: 3600 },
      }),
    });
    const login = await createConsoleLogin(
      { broker: f.broker, sts: f.sts, fetch: f.fetch, logger: { debug() {}, info() {}, warn: (m) => warnings.push(m) } },
      { profile: 'two', durationSeconds: 7200 },
    );
    assert.equal(login.sessionDuration, undefined);
    assert.deepEqual([...f.posted[0]!.keys()], ['Action', 'Session']);
    assert.equal(warnings.length, 1);
    assert.equal(f.urls[0], 'https://signin.aws.amazon.com/federation');
  });

  it('federates an IAM user with the long-lived key and no SessionDuration', async () => {
    const f = fixture({
      alice: plan({
        profile: 'alice',
        source: { kind: 'stored-key', profile: 'alice' },
        session: { profile: 'alice', mfaSerial: 'arn:aws:iam::1:mfa/a', durationSeconds: 3600 },
      }),
    });
    const login = await createConsoleLogin({ broker: f.broker, sts: f.sts, fetch: f.fetch }, { profile: 'alice' });
    assert.equal(login.kind, 'federated');
    assert.deepEqual(f.calls, ['storedKey:alice', 'identity:AKIAUSER'], 'never the MFA session');
    assert.equal(f.fedInputs.length, 1);
    assert.deepEqual(f.fedInputs[0]!.caller, KEY);
    assert.equal(f.fedInputs[0]!.input.name, 'alice');
    assert.equal(f.fedInputs[0]!.input.durationSeconds, 3600);
    assert.equal(f.fedInputs[0]!.input.policy, ALLOW_ALL_POLICY);
    assert.deepEqual([...f.posted[0]!.keys()], ['Action', 'Session']);
    assert.equal(JSON.parse(f.posted[0]!.get('Session')!).sessionId, 'ASIAFED');
  });

  it('passes --duration to GetFederationToken and caps root at one hour', async () => {
    const f = fixture({ alice: plan({ profile: 'alice' }) });
    await createConsoleLogin({ broker: f.broker, sts: f.sts, fetch: f.fetch }, { profile: 'alice', durationSeconds: 36_000 });
    assert.equal(f.fedInputs[0]!.input.durationSeconds, 36_000);
    const root = fixture({ r: plan({ profile: 'r' }) }, { callerArn: 'arn:aws:iam::123456789012:root' });
    await assert.rejects(createConsoleLogin({ broker: root.broker, sts: root.sts, fetch: root.fetch }, { profile: 'r', durationSeconds: 7200 }), {
      code: ErrorCodes.USAGE,
    });
  });

  it('uses the partition of the role and the endpoint override', async () => {
    const f = fixture({ cn: plan({ profile: 'cn', region: 'cn-north-1', hops: [hop('cn', 'arn:aws-cn:iam::1:role/x')] }) });
    const login = await createConsoleLogin({ broker: f.broker, sts: f.sts, fetch: f.fetch }, { profile: 'cn' });
    assert.equal(login.partition, 'aws-cn');
    assert.equal(f.urls[0], 'https://signin.amazonaws.cn/federation');
    assert.equal(new URL(login.url).searchParams.get('Destination'), 'https://console.amazonaws.cn/console/home?region=cn-north-1');
    const o = fixture({ cn: plan({ profile: 'cn', hops: [hop('cn', ROLE('1'))] }) });
    const l2 = await createConsoleLogin(
      { broker: o.broker, sts: o.sts, fetch: o.fetch },
      { profile: 'cn', federationEndpoint: 'http://127.0.0.1:5/federation', region: 'us-west-2' },
    );
    assert.equal(o.urls[0], 'http://127.0.0.1:5/federation');
    assert.ok(l2.url.startsWith('http://127.0.0.1:5/federation?Action=login&'));
  });
});
