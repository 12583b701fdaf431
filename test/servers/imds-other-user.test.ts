// Another local user must not get the role's credentials from the IMDS
// server: IMDSv2's token is no barrier (anyone who reaches the port can PUT
// for one), so the server checks the peer's uid of each connection. The
// other user is a throw-away account made for the test (root only).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startImdsServer, type ImdsServer } from '../../src/servers/imds-server.js';
import { makeSecondUser, secondUserUnavailable, type SecondUser } from '../helpers/second-user.js';
import { call } from './http-client.js';
import { fakeSource, SECRET } from './fake-source.js';

const CREDS = '/latest/meta-data/iam/security-credentials/';

// The other user's client: the whole IMDSv2 flow, printing what it got (or the error).
const CLIENT = `
const http = require('node:http');
const port = Number(process.argv[1]);
const ask = (method, path, headers) => new Promise((resolve, reject) => {
  const r = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
    let b = ''; res.setEncoding('utf8'); res.on('data', (c) => (b += c)); res.on('end', () => resolve({ status: res.statusCode, body: b }));
  });
  r.on('error', reject); r.end();
});
(async () => {
  const t = await ask('PUT', '/latest/api/token', { 'X-aws-ec2-metadata-token-ttl-seconds': '60' });
  if (t.status !== 200) return console.log('token refused ' + t.status);
  const c = await ask('GET', '${CREDS}rolehop', { 'X-aws-ec2-metadata-token': t.body });
  console.log('credentials ' + c.status + ' ' + c.body);
})().catch((e) => console.log('refused: ' + e.code));
`;

const skip = secondUserUnavailable();
if (skip) console.log(`# imds-other-user: ${skip}`);

describe('IMDS server and another local user', { skip }, () => {
  let server: ImdsServer;
  let other: SecondUser;
  before(async () => {
    other = makeSecondUser();
    server = await startImdsServer({ getCredentials: fakeSource().fn });
  });
  after(async () => {
    await server?.close();
    other?.remove();
  });

  it('refuses a connection from another uid, so its IMDSv2 flow gets nothing', async () => {
    const r = await other.run(process.execPath, ['-e', CLIENT, String(server.port)]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes(SECRET), `the other user got the credentials: ${r.stdout}`);
    assert.match(r.stdout, /^refused: (ECONNRESET|EPIPE)/);
  });

  it('still serves this user', async () => {
    const t = await call(server.url, { method: 'PUT', path: '/latest/api/token', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } });
    assert.equal(t.status, 200);
    const c = await call(server.url, { path: CREDS + 'rolehop', headers: { 'X-aws-ec2-metadata-token': t.body } });
    assert.equal(c.status, 200);
    assert.ok(c.body.includes(SECRET));
  });
});
