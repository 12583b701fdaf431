import { connect, type Socket } from 'node:net';
import { decodeMessage } from './dbus/decode.js';
import { encodeMethodCall } from './dbus/encode.js';
import { MessageType, type DbusMessage, type DbusValue, type DbusVariant } from './dbus/types.js';

const SECRETS = 'org.freedesktop.secrets';
const SECRETS_PATH = '/org/freedesktop/secrets';
const SERVICE_IFACE = 'org.freedesktop.Secret.Service';
const ITEM_IFACE = 'org.freedesktop.Secret.Item';

/**
 * Where to connect for a D-Bus address: the first `unix:path=` or
 * `unix:abstract=` entry (percent-escapes decoded), or undefined when the
 * address names only transports this reader does not speak.
 */
export function socketPathFromAddress(address: string): string | undefined {
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    if (colon < 0 || entry.slice(0, colon) !== 'unix') continue;
    for (const kv of entry.slice(colon + 1).split(',')) {
      const eq = kv.indexOf('=');
      const k = kv.slice(0, eq);
      let v: string;
      try {
        v = decodeURIComponent(kv.slice(eq + 1));
      } catch {
        return undefined;
      }
      if (k === 'path') return v;
      if (k === 'abstract') return `\0${v}`;
    }
  }
  return undefined;
}

/** The Secret Service attributes `@napi-rs/keyring` files an entry under (service, account). */
export function keyringAttributes(service: string, account: string): Record<string, string> {
  return { service, username: account };
}

/** Options of {@link SecretServiceReader.open}. */
export interface SecretServiceReaderOptions {
  /** `DBUS_SESSION_BUS_ADDRESS`. */
  busAddress: string;
  /** Our uid, sent in the EXTERNAL authentication; default `process.getuid()`. */
  uid?: number;
  /** Give up after this long from opening (default 1000 ms). */
  /** How secrets cross the bus; default {@link PLAIN} (see {@link SecretServiceReader}). */
  algorithm?: SessionAlgorithm;
  timeoutMs?: number;
}
/**
 * A Secret Service session algorithm (specification, "Transfer of Secrets"):
 * what OpenSession is sent, and how the service's answer turns each secret
 * (parameters, value) back into its bytes.
 */
export interface SessionAlgorithm {
  name: string;
  input: DbusVariant;
  /** From OpenSession's output; throws when the output is not what this algorithm expects. */
  open(output: DbusValue | undefined): (parameters: Uint8Array, value: Uint8Array) => Uint8Array;
}

/** The `plain` algorithm: secrets cross the same-user bus socket as they are; needs no node:crypto. */
export const PLAIN: SessionAlgorithm = { name: 'plain', input: { signature: 's', value: '' }, open: () => (_, value) => value };

type Waiter = { resolve: (m: DbusMessage) => void; reject: (e: Error) => void };

/**
 * Reads secrets from the Secret Service over the session bus, speaking
 * D-Bus directly: no native code, and the requests pipelined, for the
 * credential_process cache-hit path, where `@napi-rs/keyring` costs about
 * 8 ms (loading, a Diffie-Hellman session per entry, three round trips).
 *
 * Read-only and deliberately narrow. By default the session uses the Secret
 * Service `plain` algorithm: the value crosses the same-user Unix socket of
 * the session bus unencrypted, as with aws-vault's secret-service backend;
 * the hot path reads only session copies that way. The store's reads of
 * long-lived keys and the data key pass {@link SecretServiceReaderOptions.algorithm}
 * (the DH algorithm of `src/stores/direct-read.ts`), as the binding
 * encrypts them. Every write still goes through the binding.
 *
 * {@link open} connects and writes the authentication, Hello and
 * OpenSession at once, so they are answered while the caller does other
 * work; {@link read} then costs one round trip more than the search. Every
 * failure (no bus, authentication refused, a locked or ambiguous item, a
 * D-Bus error, the time limit) rejects; callers take that as "use the normal
 * path", never as an answer. Messages never carry a secret.
 */
export class SecretServiceReader {
  readonly #sock: Socket;
  readonly #waiters = new Map<number, Waiter>();
  readonly #timer: NodeJS.Timeout;
  readonly #session: Promise<{ path: string; decrypt: ReturnType<SessionAlgorithm['open']> }>;
  #buf: Buffer = Buffer.alloc(0);
  #authed = false;
  #failure: Error | undefined;
  #serial = 3;

  private constructor(path: string, uid: number, timeoutMs: number, algorithm: SessionAlgorithm) {
    this.#sock = connect(path);
    this.#timer = setTimeout(() => this.#fail(new Error('the Secret Service did not answer in time')), timeoutMs);
    // The socket keeps the process alive while it waits; the timer need not.
    this.#timer.unref();
    this.#sock.on('error', (e: NodeJS.ErrnoException) => this.#fail(new Error(`D-Bus connection failed (${e.code ?? 'error'})`)));
    this.#sock.on('close', () => this.#fail(new Error('the session bus closed the connection')));
    this.#sock.on('data', (chunk: Buffer) => this.#onData(chunk));
    const hello = this.#expect(1);
    hello.catch(() => {});
    this.#session = this.#expect(2).then((m) => {
      const path = m.body[1];
      if (typeof path !== 'string') throw new Error('unexpected OpenSession reply');
      return { path, decrypt: algorithm.open((m.body[0] as DbusVariant | undefined)?.value) };
    });
    this.#session.catch(() => {});
    this.#sock.write(
      Buffer.concat([
        Buffer.from(`\0AUTH EXTERNAL ${Buffer.from(String(uid)).toString('hex')}\r\nBEGIN\r\n`),
        encodeMethodCall({ serial: 1, destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello' }),
        this.#call(2, 'OpenSession', 'sv', [algorithm.name, algorithm.input]),
      ]),
    );
  }

  /** Connects and starts the session; throws only for an address no Unix socket can serve. */
  static open(opts: SecretServiceReaderOptions): SecretServiceReader {
    const path = socketPathFromAddress(opts.busAddress);
    if (!path) throw new Error('unsupported D-Bus address');
    return new SecretServiceReader(path, opts.uid ?? process.getuid?.() ?? 0, opts.timeoutMs ?? 1000, opts.algorithm ?? PLAIN);
  }

  /** The secret of the one item with these attributes as UTF-8 text, or undefined when none has them. */
  async read(attributes: Record<string, string>): Promise<string | undefined> {
    const { unlocked, locked } = await this.search(attributes);
    if (unlocked.length === 0 && locked.length === 0) return undefined;
    if (unlocked.length !== 1 || locked.length !== 0) throw new Error('the item is locked or ambiguous');
    return this.secret(unlocked[0]!);
  }

  /** The secret of the unlocked item at `item` (a path {@link search} found) as UTF-8 text. */
  async secret(item: string): Promise<string> {
    const session = await this.#session;
    const reply = await this.#request('GetSecret', 'o', [session.path], item, ITEM_IFACE);
    const [, parameters, value] = (reply.body[0] as DbusValue[] | undefined) ?? [];
    if (!(value instanceof Uint8Array) || !(parameters instanceof Uint8Array)) throw new Error('unexpected GetSecret reply');
    const plain = session.decrypt(parameters, value);
    return Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength).toString('utf8');
  }

  /**
   * Deletes the item at `item` (a path {@link search} found). Rejects, and
   * deletes nothing, when the Secret Service would first show a prompt
   * (its answer names one other than "/"): only the binding's path may
   * wait for a person.
   */
  async delete(item: string): Promise<void> {
    const reply = await this.#request('Delete', '', [], item, ITEM_IFACE);
    if (reply.body[0] !== '/') throw new Error('the Secret Service asks for a prompt to delete the item');
  }

  /** The object paths of the items that have all these attributes, unlocked and locked. */
  async search(attributes: Record<string, string>): Promise<{ unlocked: string[]; locked: string[] }> {
    const found = await this.#request('SearchItems', 'a{ss}', [new Map(Object.entries(attributes))]);
    return { unlocked: (found.body[0] as string[] | undefined) ?? [], locked: (found.body[1] as string[] | undefined) ?? [] };
  }

  /** Hangs up (the bus then closes the session). */
  close(): void {
    clearTimeout(this.#timer);
    this.#failure ??= new Error('closed');
    this.#sock.destroy();
  }

  #call(serial: number, member: string, signature: string, body: DbusValue[], path = SECRETS_PATH, iface = SERVICE_IFACE): Uint8Array {
    return encodeMethodCall({ serial, destination: SECRETS, path, interface: iface, member, signature, body });
  }

  #request(member: string, signature: string, body: DbusValue[], path?: string, iface?: string): Promise<DbusMessage> {
    const serial = this.#serial++;
    const reply = this.#expect(serial);
    this.#sock.write(this.#call(serial, member, signature, body, path, iface));
    return reply;
  }

  #expect(serial: number): Promise<DbusMessage> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => this.#waiters.set(serial, { resolve, reject }));
  }

  #fail(e: Error): void {
    if (this.#failure) return;
    this.#failure = e;
    clearTimeout(this.#timer);
    this.#sock.destroy();
    for (const w of this.#waiters.values()) w.reject(e);
    this.#waiters.clear();
  }

  #onData(chunk: Buffer): void {
    if (this.#failure) return;
    try {
      this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
      if (!this.#authed) {
        const nl = this.#buf.indexOf('\r\n');
        if (nl < 0) {
          if (this.#buf.length > 512) throw new Error('malformed D-Bus authentication reply');
          return;
        }
        if (this.#buf.subarray(0, 3).toString('latin1') !== 'OK ') throw new Error('D-Bus authentication refused');
        this.#authed = true;
        this.#buf = this.#buf.subarray(nl + 2);
      }
      for (;;) {
        const d = decodeMessage(this.#buf);
        if (!d) break;
        this.#buf = this.#buf.subarray(d.size);
        const m = d.message;
        // Signals (NameAcquired) and anything that answers no request of ours are ignored.
        if (m.type !== MessageType.METHOD_RETURN && m.type !== MessageType.ERROR) continue;
        const w = m.replySerial !== undefined ? this.#waiters.get(m.replySerial) : undefined;
        if (!w) continue;
        this.#waiters.delete(m.replySerial!);
        if (m.type === MessageType.ERROR) w.reject(new Error(`D-Bus error ${m.errorName ?? ''}`.trim()));
        else w.resolve(m);
      }
    } catch (e) {
      this.#fail(e instanceof Error ? e : new Error('D-Bus protocol error'));
    }
  }
}

/** One secret, read over a connection opened and closed for it (see {@link SecretServiceReader}). */
export async function readSecretServiceItem(opts: SecretServiceReaderOptions & { attributes: Record<string, string> }): Promise<string | undefined> {
  const reader = SecretServiceReader.open(opts);
  try {
    return await reader.read(opts.attributes);
  } finally {
    reader.close();
  }
}
