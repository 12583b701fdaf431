// In-memory IAM, STS and vault for rotation tests, with fault injection:
// each operation can throw or hang (a killed process) before or after it
// takes effect.
import type { AccessKeyInfo, CreatedAccessKey, IamPort } from '../../src/aws/iam-port.js';
import type { CallerIdentity, StsPort } from '../../src/aws/sts-port.js';
import type { Credentials, StoredKey } from '../../src/credentials/types.js';
import type { Vault } from '../../src/credentials/vault-contract.js';
import { ErrorCodes, RolehopError } from '../../src/errors.js';
import type { JournalStore, RotationJournal } from '../../src/rotate/journal.js';

export type Op = 'list' | 'create' | 'delete' | 'identity' | 'vault.get' | 'vault.put' | 'clear';

export interface Fault {
  op: Op;
  when: 'before' | 'after';
  action: 'throw' | 'hang';
  /** Thrown for `throw`; default an AWS ServiceFailure. */
  error?: () => unknown;
  /** Only calls matching this (e.g. a key id) fault. */
  match?: (arg: string | undefined) => boolean;
  /** How many matching calls fault; default forever. */
  times?: number;
}

export const awsError = (code: (typeof ErrorCodes)[keyof typeof ErrorCodes], awsCode: string, message = awsCode) =>
  new RolehopError(code, `${awsCode}: ${message}`, { hint: 'test', details: { awsCode } });

interface KeyState {
  secret: string;
  status: string;
  createDate: Date;
  /** Identity calls before the key is accepted (IAM propagation). */
  pendingChecks: number;
}

/** One IAM user with its keys; shared by every run of a test. */
export class FakeAws {
  readonly userName = 'alice';
  readonly arn = 'arn:aws:iam::123456789012:user/team/alice';
  readonly keys = new Map<string, KeyState>();
  readonly vaultKeys = new Map<string, StoredKey>();
  /** Credentials of MFA sessions, by access key id -> parent key id. */
  readonly sessions = new Map<string, { secret: string; parent: string }>();
  faults: Fault[] = [];
  /** Identity calls a fresh key fails before it works. */
  propagationChecks = 0;
  calls: { op: Op; arg?: string; caller?: string }[] = [];
  sessionsCleared = 0;
  private seq = 0;

  constructor() {
    this.addKey('AKIAOLD0000000000001');
  }

  addKey(id: string): StoredKey {
    const secret = `secret-${id}`;
    this.keys.set(id, { secret, status: 'Active', createDate: new Date(Date.UTC(2024, 0, 1)), pendingChecks: 0 });
    return { accessKeyId: id, secretAccessKey: secret };
  }

  storeInVault(profile: string, id: string): void {
    const k = this.keys.get(id)!;
    this.vaultKeys.set(profile, { accessKeyId: id, secretAccessKey: k.secret });
  }

  /** An MFA session derived from a key, as the broker would hand out. */
  mfaSession(parent: StoredKey): Credentials {
    const id = `ASIASESSION${++this.seq}`;
    this.sessions.set(id, { secret: `s-${id}`, parent: parent.accessKeyId });
    return { accessKeyId: id, secretAccessKey: `s-${id}`, sessionToken: `token-${id}` };
  }

  private async gate(op: Op, when: 'before' | 'after', arg?: string): Promise<void> {
    for (const f of this.faults) {
      if (f.op !== op || f.when !== when || (f.match && !f.match(arg))) continue;
      if (f.times !== undefined) {
        if (f.times <= 0) continue;
        f.times--;
      }
      if (f.action === 'hang') await new Promise(() => {});
      throw f.error ? f.error() : awsError(ErrorCodes.AWS_OTHER, 'ServiceFailure');
    }
  }

  private checkCaller(c: Credentials): void {
    const session = this.sessions.get(c.accessKeyId);
    if (session && session.secret === c.secretAccessKey && c.sessionToken) return;
    const k = this.keys.get(c.accessKeyId);
    if (!k || k.secret !== c.secretAccessKey) throw awsError(ErrorCodes.AWS_INVALID_KEY, 'InvalidClientTokenId');
  }

  iam(): IamPort {
    return {
      listAccessKeys: async (caller, userName) => {
        this.calls.push({ op: 'list', caller: caller.accessKeyId });
        await this.gate('list', 'before');
        this.checkCaller(caller);
        if (userName !== this.userName) throw awsError(ErrorCodes.AWS_OTHER, 'NoSuchEntity');
        const out: AccessKeyInfo[] = [...this.keys].map(([id, k]) => ({ accessKeyId: id, status: k.status, createDate: k.createDate }));
        await this.gate('list', 'after');
        return out;
      },
      createAccessKey: async (caller, userName): Promise<CreatedAccessKey> => {
        this.calls.push({ op: 'create', caller: caller.accessKeyId });
        await this.gate('create', 'before');
        this.checkCaller(caller);
        if (userName !== this.userName) throw awsError(ErrorCodes.AWS_OTHER, 'NoSuchEntity');
        if (this.keys.size >= 2) throw awsError(ErrorCodes.AWS_OTHER, 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2');
        const id = `AKIANEW${String(++this.seq).padStart(13, '0')}`;
        const secret = `secret-${id}`;
        this.keys.set(id, { secret, status: 'Active', createDate: new Date(), pendingChecks: this.propagationChecks });
        await this.gate('create', 'after', id);
        return { accessKeyId: id, secretAccessKey: secret };
      },
      deleteAccessKey: async (caller, userName, id) => {
        this.calls.push({ op: 'delete', arg: id, caller: caller.accessKeyId });
        await this.gate('delete', 'before', id);
        this.checkCaller(caller);
        if (userName !== this.userName || !this.keys.has(id)) throw awsError(ErrorCodes.AWS_OTHER, 'NoSuchEntity');
        this.keys.delete(id);
        await this.gate('delete', 'after', id);
      },
    };
  }

  sts(): Pick<StsPort, 'getCallerIdentity'> {
    return {
      getCallerIdentity: async (caller): Promise<CallerIdentity> => {
        this.calls.push({ op: 'identity', arg: caller.accessKeyId });
        await this.gate('identity', 'before', caller.accessKeyId);
        const k = this.keys.get(caller.accessKeyId);
        if (!k || k.secret !== caller.secretAccessKey) throw awsError(ErrorCodes.AWS_INVALID_KEY, 'InvalidClientTokenId');
        if (k.pendingChecks > 0) {
          k.pendingChecks--;
          throw awsError(ErrorCodes.AWS_INVALID_KEY, 'InvalidClientTokenId');
        }
        await this.gate('identity', 'after', caller.accessKeyId);
        return { account: '123456789012', arn: this.arn, userId: 'AIDAALICE' };
      },
    };
  }

  vault(): Pick<Vault, 'get' | 'put'> {
    return {
      get: async (profile) => {
        await this.gate('vault.get', 'before', profile);
        const k = this.vaultKeys.get(profile);
        if (!k) throw new RolehopError(ErrorCodes.NO_STORED_KEY, `no key for ${profile}`, { hint: 'add' });
        await this.gate('vault.get', 'after', profile);
        return { ...k };
      },
      put: async (profile, key) => {
        await this.gate('vault.put', 'before', key.accessKeyId);
        this.vaultKeys.set(profile, { ...key });
        await this.gate('vault.put', 'after', key.accessKeyId);
      },
    };
  }

  async clear(): Promise<number> {
    await this.gate('clear', 'before');
    this.sessionsCleared++;
    return 2;
  }

  /** Whether a stored key really works (exists, right secret), ignoring propagation. */
  works(key: StoredKey | undefined): boolean {
    const k = key && this.keys.get(key.accessKeyId);
    return !!k && k.secret === key!.secretAccessKey;
  }

  /** IAM keys the vault does not hold. */
  orphans(profile: string): string[] {
    const held = this.vaultKeys.get(profile)?.accessKeyId;
    return [...this.keys.keys()].filter((id) => id !== held);
  }
}

/** A journal kept in memory (a file journal is tested on its own). */
export function memoryJournal(): JournalStore & { current: RotationJournal | undefined; writes: RotationJournal[] } {
  const j = {
    current: undefined as RotationJournal | undefined,
    writes: [] as RotationJournal[],
    location: '/memory/journal.json',
    async read() {
      return j.current ? { ...j.current } : undefined;
    },
    async write(x: RotationJournal) {
      if (JSON.stringify(x).includes('secret')) throw new Error('secret in journal');
      j.current = { ...x };
      j.writes.push({ ...x });
    },
    async remove() {
      j.current = undefined;
    },
    async exclusive<T>(fn: () => Promise<T>) {
      return fn();
    },
  };
  return j;
}
