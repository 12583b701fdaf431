// Console login through the real STS adapter on moto and a local federation
// stand-in, below the CLI (the broker is a thin stand-in over the STS port).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createStsPort } from '../../src/aws/sts.js';
import type { Plan } from '../../src/config/plan.js';
import { createConsoleLogin } from '../../src/console/console-login.js';
import type { Broker } from '../../src/sessions/broker-contract.js';
import type { MotoServer } from '../helpers/moto.js';
import type { MotoIdentity } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { startFederationStandIn, type FederationStandIn } from './federation-stand-in.js';

describe('console login against moto and a federation stand-in', () => {
  let moto: MotoServer;
  let fed: FederationStandIn;
  let alice: MotoIdentity;
  const role = 'arn:aws:iam::210987654321:role/Admin';
  let world: World;

  before(async () => {
    world = await startWorld({ build: false, sandbox: false });
    ({ moto, alice } = world);
    fed = await startFederationStandIn();
  });
  after(async () => {
    await fed?.stop();
    await world?.stop();
  });

  function broker(): Pick<Broker, 'plan' | 'credentials' | 'storedKey'> {
    const sts = createStsPort({ endpoint: moto.url, region: 'us-east-1' });
    const plans: Record<string, Plan> = {
      alice: { profile: 'alice', region: 'us-east-1', source: { kind: 'stored-key', profile: 'alice' }, hops: [], endpoints: { sts: moto.url }, warnings: [] },
      admin: {
        profile: 'admin',
        region: 'eu-west-1',
        source: { kind: 'stored-key', profile: 'alice' },
        hops: [{ profile: 'admin', roleArn: role, roleSessionName: 'me', durationSeconds: 3600 }],
        endpoints: { sts: moto.url },
        warnings: [],
      },
    };
    const key = { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey };
    return {
      plan: (p) => plans[p]!,
      storedKey: async () => key,
      credentials: async (p) => {
        const plan = plans[p]!;
        const credentials = await sts.assumeRole(key, { roleArn: plan.hops[0]!.roleArn, roleSessionName: 'me', durationSeconds: 3600 });
        return { credentials, plan, fromCache: false };
      },
    };
  }

  it('signs in a role session with SessionDuration', async () => {
    fed.seen.length = 0;
    const login = await createConsoleLogin({ broker: broker() }, { profile: 'admin', federationEndpoint: fed.url, durationSeconds: 7200, path: 'ec2/home' });
    assert.deepEqual(fed.seen[0]!.problems, []);
    assert.deepEqual(fed.seen[0]!.fields, ['Action', 'SessionDuration', 'Session']);
    assert.match(String(fed.seen[0]!.session!.sessionId), /^ASIA/);
    const url = new URL(login.url);
    assert.equal(url.searchParams.get('Action'), 'login');
    assert.equal(url.searchParams.get('SigninToken'), fed.token);
    assert.equal(url.searchParams.get('Destination'), 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1');
  });

  it('signs in an IAM user through GetFederationToken, without SessionDuration', async () => {
    fed.seen.length = 0;
    const login = await createConsoleLogin({ broker: broker() }, { profile: 'alice', federationEndpoint: fed.url });
    assert.equal(login.kind, 'federated');
    assert.deepEqual(fed.seen[0]!.problems, []);
    assert.deepEqual(fed.seen[0]!.fields, ['Action', 'Session']);
    assert.notEqual(fed.seen[0]!.session!.sessionId, alice.accessKeyId, 'federation credentials, not the long-lived key');
    assert.equal(new URL(login.url).searchParams.get('SigninToken'), fed.token);
  });
});
