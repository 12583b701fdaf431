import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';

/** Linux's table of IPv4 TCP sockets of this network namespace, with each socket's owner. */
const PROC_NET_TCP = '/proc/net/tcp';

/** `127.0.0.1:8080` as /proc/net/tcp spells it: the address as a little-endian word, the port big-endian, upper-case hex. */
export function procNetAddress(ip: string, port: number): string | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
  return `${parts
    .reverse()
    .map((p) => hex(Number(p), 2))
    .join('')}:${hex(port, 4)}`;
}

/**
 * The uid that owns the client end of a loopback TCP connection, found in
 * `table` (the text of /proc/net/tcp): the line whose local end is the
 * peer's address and whose remote end is ours. Undefined when there is no
 * such line, or when it is a socket without an owner any more (TIME_WAIT
 * lines carry uid 0 and inode 0; the client has gone and nothing is served).
 */
export function peerUidIn(table: string, peer: { ip: string; port: number }, local: { ip: string; port: number }): number | undefined {
  const from = procNetAddress(peer.ip, peer.port);
  const to = procNetAddress(local.ip, local.port);
  if (!from || !to) return undefined;
  const at = table.indexOf(` ${from} ${to} `);
  if (at < 0) return undefined;
  const end = table.indexOf('\n', at);
  // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...; the match starts at `local`.
  const fields = table
    .slice(at, end < 0 ? undefined : end)
    .trim()
    .split(/\s+/);
  const uid = Number(fields[6]);
  const inode = fields[8];
  if (!Number.isInteger(uid) || inode === undefined || inode === '0') return undefined;
  return uid;
}

/** Decides, per accepted connection, whether its peer is a process of ours. */
export type PeerCheck = (socket: Socket) => Promise<boolean>;

/**
 * A check that a loopback connection comes from a process of this effective
 * uid, on Linux, by looking the connection up in /proc/net/tcp: one read of
 * that file per connection, not per request, so keep-alive clients pay once.
 * The read is asynchronous because the kernel walks its whole connection
 * hash table to produce it (about 5 ms on a machine with a 262,144-bucket
 * table, more with thousands of sockets), and the server must not stall
 * meanwhile.
 * Undefined where it cannot work: no /proc/net/tcp, or no uid (Windows). The
 * caller then has no way to tell local users apart, and must say so.
 *
 * Fails closed: a connection that cannot be found in the table (it may have
 * closed already, or the file could not be read this time) is refused.
 */
export function sameUidPeerCheck(): PeerCheck | undefined {
  const euid = process.geteuid?.();
  if (process.platform !== 'linux' || euid === undefined) return undefined;
  try {
    // Once, at start: whether the table can be read here at all.
    readFileSync(PROC_NET_TCP, 'latin1');
  } catch {
    return undefined;
  }
  return async (socket) => {
    const { remoteAddress, remotePort, localAddress, localPort } = socket;
    if (!remoteAddress || !remotePort || !localAddress || !localPort) return false;
    let table: string;
    try {
      table = await readFile(PROC_NET_TCP, 'latin1');
    } catch {
      return false;
    }
    const v4 = (a: string) => (a.startsWith('::ffff:') ? a.slice(7) : a);
    return peerUidIn(table, { ip: v4(remoteAddress), port: remotePort }, { ip: v4(localAddress), port: localPort }) === euid;
  };
}
