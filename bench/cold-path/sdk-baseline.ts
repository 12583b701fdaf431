// The least SDK v3 code doing what a cold `rolehop export PROFILE --format
// credential-process` does for a two-hop chain: GetSessionToken with an MFA
// code, then AssumeRole with that session, then the credential_process line.
// No store, no cache, no config file: the keys and names come from the
// environment. Bundled by the cold-path benchmark like rolehop's own CLI, so
// both load a bundled SDK.
import { AssumeRoleCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';

// In a function, not at the top level: the top level is the module's own evaluation, which the phase split counts as module loading.
async function main(): Promise<void> {
  const env = process.env;
  const common = { region: 'us-east-1', endpoint: env.BASELINE_ENDPOINT! };
  const source = new STSClient({ ...common, credentials: { accessKeyId: env.BASELINE_KEY_ID!, secretAccessKey: env.BASELINE_SECRET! } });
  const s = (await source.send(new GetSessionTokenCommand({ SerialNumber: env.BASELINE_MFA_SERIAL!, TokenCode: '123456', DurationSeconds: 3600 })))
    .Credentials!;
  const sts = new STSClient({ ...common, credentials: { accessKeyId: s.AccessKeyId!, secretAccessKey: s.SecretAccessKey!, sessionToken: s.SessionToken! } });
  const r = (await sts.send(new AssumeRoleCommand({ RoleArn: env.BASELINE_ROLE_ARN!, RoleSessionName: 'baseline', DurationSeconds: 3600 }))).Credentials!;
  process.stdout.write(
    `${JSON.stringify({ Version: 1, AccessKeyId: r.AccessKeyId, SecretAccessKey: r.SecretAccessKey, SessionToken: r.SessionToken, Expiration: r.Expiration?.toISOString() })}\n`,
  );
}

await main();
