// The IMDSv2 client against the loopback fake (test/helpers/fake-imds.ts)
// and against servers that answer wrongly: what it sends, and that its
// errors never quote an answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRolehopError } from '../errors.js';
import { startFakeImds } from '../../test/helpers/fake-imds.js';
import { credentialsFromImds } from './from-imds.js';

const DOC = { AccessKeyId: 'ASIAIMDSTEST0000001', SecretAccessKey: 'imds-secret', Token: 'imds-token', Expiration: '2030-01-01T00:00:00Z' };

test('IMDSv2: a session token first, then the role and its credentials', async () => {
  const imds = await startFakeImds(async () => DOC, 'web-server');
  try {
    const c = await credentialsFromImds({ kind: 'imds', profile: 'ec2', endpoint: imds.url });
    assert.deepEqual(c, { accessKeyId: DOC.AccessKeyId, secretAccessKey: 'imds-secret', sessionToken: 'imds-token', expiration: new Date(DOC.Expiration) });
    assert.equal(imds.tokenCalls, 1);
    assert.equal(imds.credentialCalls, 1);
    assert.equal(imds.refused, 0, 'every metadata GET carried the token');
  } finally {
    await imds.stop();
  }
});

async function serve(answer: (method: string, path: string) => [number, string]): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const [status, body] = answer(req.method ?? '', req.url ?? '');
    res.writeHead(status);
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise((r) => server.close(() => r())) };
}

function refused(step: RegExp, leaked?: string) {
  return (e: unknown) => {
    assert.ok(isRolehopError(e), String(e));
    assert.equal(e.code, 'ERR_AWS_NETWORK');
    assert.match(e.message, step);
    if (leaked) assert.ok(!e.message.includes(leaked) && !(e.hint ?? '').includes(leaked), e.message);
    return true;
  };
}

test('IMDSv1-only service, no role, a broken document: each named by its step, nothing of the answer quoted', async () => {
  const v1 = await serve((m) => (m === 'PUT' ? [403, 'forbidden'] : [200, 'role']));
  const noRole = await serve((m) => (m === 'PUT' ? [200, 'tok'] : [404, 'none']));
  const broken = await serve((m, p) =>
    m === 'PUT' ? [200, 'tok'] : p.endsWith('/') ? [200, 'role'] : [200, '{"AccessKeyId":"ASIALEAK","SecretAccessKey":"leaked-secret"'],
  );
  try {
    await assert.rejects(credentialsFromImds({ kind: 'imds', profile: 'ec2', endpoint: v1.url }), refused(/refused a session token \(IMDSv2\) \(HTTP 403\)/));
    await assert.rejects(credentialsFromImds({ kind: 'imds', profile: 'ec2', endpoint: noRole.url }), refused(/has no instance profile role \(HTTP 404\)/));
    await assert.rejects(
      credentialsFromImds({ kind: 'imds', profile: 'ec2', endpoint: broken.url }),
      refused(/gave no credentials for the instance role/, 'leaked-secret'),
    );
  } finally {
    await Promise.all([v1.stop(), noRole.stop(), broken.stop()]);
  }
});

test('nothing listening: a network error naming the endpoint', async () => {
  const gone = await serve(() => [200, '']);
  await gone.stop();
  await assert.rejects(credentialsFromImds({ kind: 'imds', profile: 'ec2', endpoint: gone.url }), refused(new RegExp(`${gone.url}.*ECONNREFUSED`)));
});
