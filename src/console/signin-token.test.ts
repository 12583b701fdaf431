import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes } from '../errors.js';
import { buildSigninTokenRequest, requestSigninToken, type FetchLike } from './signin-token.js';

const creds = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'sec/ret+key=', sessionToken: 'tok en+/=' };

describe('buildSigninTokenRequest', () => {
  it('posts exactly Action and Session, with the three credential fields', () => {
    const r = buildSigninTokenRequest('https://signin.aws.amazon.com/federation', creds);
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'https://signin.aws.amazon.com/federation');
    assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(r.body);
    assert.deepEqual([...form.keys()], ['Action', 'Session']);
    assert.equal(form.get('Action'), 'getSigninToken');
    const session = JSON.parse(form.get('Session')!);
    assert.deepEqual(Object.keys(session), ['sessionId', 'sessionKey', 'sessionToken']);
    assert.deepEqual(session, { sessionId: 'ASIAEXAMPLE', sessionKey: 'sec/ret+key=', sessionToken: 'tok en+/=' });
    assert.ok(!r.url.includes('ASIA'), 'credentials never in the URL');
  });

  it('adds SessionDuration only when given', () => {
    const form = new URLSearchParams(buildSigninTokenRequest('https://x/federation', creds, 3600).body);
    assert.deepEqual([...form.keys()], ['Action', 'SessionDuration', 'Session']);
    assert.equal(form.get('SessionDuration'), '3600');
  });

  it('refuses long-lived keys and bad durations', () => {
    assert.throws(() => buildSigninTokenRequest('https://x', { accessKeyId: 'AKIA', secretAccessKey: 's' }), { code: ErrorCodes.INTERNAL });
    assert.throws(() => buildSigninTokenRequest('https://x', creds, 899), { code: ErrorCodes.USAGE });
    assert.throws(() => buildSigninTokenRequest('https://x', creds, 43_201), { code: ErrorCodes.USAGE });
  });
});

describe('requestSigninToken', () => {
  const answer =
    (status: number, body: string): FetchLike =>
    async () => ({ status, text: async () => body });

  it('returns the SigninToken', async () => {
    let seen: { url: string; body: string; method: string } | undefined;
    const fetch: FetchLike = async (url, init) => {
      seen = { url, body: init.body, method: init.method };
      return { status: 200, text: async () => '{"SigninToken":"TOKEN123"}' };
    };
    assert.equal(await requestSigninToken('http://127.0.0.1:9/federation', creds, { fetch }), 'TOKEN123');
    assert.equal(seen?.method, 'POST');
    assert.equal(new URLSearchParams(seen!.body).get('Action'), 'getSigninToken');
  });

  it('reports a refusal without quoting the request or the answer', async () => {
    const err = await requestSigninToken('http://x/f', creds, { fetch: answer(400, `bad ${creds.secretAccessKey}`) }).catch((e) => e);
    assert.equal(err.code, ErrorCodes.AWS_OTHER);
    assert.match(err.message, /HTTP 400/);
    assert.ok(!JSON.stringify({ m: err.message, h: err.hint, d: err.details }).includes('sec/ret'));
  });

  it('needs a SigninToken in the answer', async () => {
    await assert.rejects(requestSigninToken('http://x/f', creds, { fetch: answer(200, 'not json') }), { code: ErrorCodes.AWS_OTHER });
    await assert.rejects(requestSigninToken('http://x/f', creds, { fetch: answer(200, '{}') }), { code: ErrorCodes.AWS_OTHER });
  });

  it('maps network failures', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    await assert.rejects(requestSigninToken('http://x/f', creds, { fetch }), { code: ErrorCodes.AWS_NETWORK });
  });
});
