import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { SsoSession } from '../config/sso-settings.js';
import { listenForRedirect } from './loopback-redirect.js';
import { authorizeUrl, pkcePair } from './pkce-flow.js';

const session: SsoSession = {
  name: 'corp',
  legacy: false,
  startUrl: 'https://x.awsapps.com/start',
  region: 'us-east-1',
  scopes: ['sso:account:access', 'a:b'],
  origin: 'test',
};

test('the challenge is the S256 of the verifier', () => {
  const { verifier, challenge } = pkcePair();
  assert.match(verifier, /^[A-Za-z0-9_-]{43,128}$/);
  assert.equal(challenge, createHash('sha256').update(verifier).digest('base64url'));
  assert.notEqual(pkcePair().verifier, verifier);
});

test('the authorize URL carries client, redirect, state, challenge and scopes, never the verifier', () => {
  const { verifier, challenge } = pkcePair();
  const u = new URL(
    authorizeUrl(
      { oidc: 'https://oidc.us-east-1.amazonaws.com', portal: '' },
      { flow: 'pkce', clientId: 'cid', clientSecret: 'sec', expiresAt: '' },
      session,
      'http://127.0.0.1:5/oauth/callback',
      'st',
      challenge,
    ),
  );
  assert.equal(u.origin + u.pathname, 'https://oidc.us-east-1.amazonaws.com/authorize');
  assert.equal(u.searchParams.get('client_id'), 'cid');
  assert.equal(u.searchParams.get('redirect_uri'), 'http://127.0.0.1:5/oauth/callback');
  assert.equal(u.searchParams.get('state'), 'st');
  assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(u.searchParams.get('scopes'), 'sso:account:access a:b');
  assert.ok(!u.toString().includes(verifier) && !u.toString().includes('sec'));
});

test('the loopback listener ignores a foreign state and resolves with the code of ours', async () => {
  const r = await listenForRedirect('good', 10_000);
  assert.match(r.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
  assert.equal((await fetch(`${r.redirectUri}?code=x&state=bad`)).status, 400);
  assert.equal((await fetch(r.redirectUri.replace('/oauth/callback', '/other'))).status, 404);
  const page = await fetch(`${r.redirectUri}?code=the-code&state=good`);
  assert.equal(page.status, 200);
  assert.equal(await r.code, 'the-code');
});

test('a denial, the timeout and the signal reject', async () => {
  const denied = await listenForRedirect('s', 10_000);
  const got = assert.rejects(denied.code, { code: 'ERR_AWS_ACCESS_DENIED' });
  await fetch(`${denied.redirectUri}?error=access_denied&state=s`);
  await got;
  await assert.rejects((await listenForRedirect('s', 1)).code, { code: 'ERR_TIMEOUT' });
  const ac = new AbortController();
  const aborted = await listenForRedirect('s', 10_000, ac.signal);
  ac.abort();
  await assert.rejects(aborted.code, { code: 'ERR_ABORTED' });
});
