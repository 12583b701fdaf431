import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { peerUidIn, procNetAddress } from './peer-uid.js';

// Lines as Linux prints them: a listener, the server's end of a connection
// (owned by the server, uid 1000), the client's end (uid 1001), a TIME_WAIT.
const TABLE = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:A000 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1111 1 0000000000000000 100 0 0 10 0',
  '   1: 0100007F:A000 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0000000000000000 20 4 30 10 -1',
  '   2: 0100007F:C350 0100007F:A000 01 00000000:00000000 00:00000000 00000000  1001        0 3333 1 0000000000000000 20 4 30 10 -1',
  '   3: 0100007F:C351 0100007F:A000 06 00000000:00000000 03:00000F4B 00000000     0        0 0 3 0000000000000000',
].join('\n');
const server = { ip: '127.0.0.1', port: 0xa000 };

describe('peerUidIn', () => {
  it('spells addresses as /proc/net/tcp does', () => {
    assert.equal(procNetAddress('127.0.0.1', 8080), '0100007F:1F90');
    assert.equal(procNetAddress('127.1.2.3', 1), '0302017F:0001');
    assert.equal(procNetAddress('::1', 1), undefined);
  });

  it("finds the client end's owner, not the server end's", () => {
    assert.equal(peerUidIn(TABLE, { ip: '127.0.0.1', port: 0xc350 }, server), 1001);
  });

  it('knows no owner for an unknown connection or one in TIME_WAIT', () => {
    assert.equal(peerUidIn(TABLE, { ip: '127.0.0.1', port: 0xc352 }, server), undefined);
    assert.equal(peerUidIn(TABLE, { ip: '127.0.0.1', port: 0xc351 }, server), undefined);
    assert.equal(peerUidIn(TABLE, { ip: '127.0.0.2', port: 0xc350 }, server), undefined);
  });
});
