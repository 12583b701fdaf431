import type { Credentials } from '../credentials/types.js';
import { sdkCredentials } from './sdk-credentials.js';
import { mapAwsError } from './map-error.js';
import { withAwsRetries } from './retry.js';
import type { SharedHandler } from './http.js';

/** An account as Organizations lists it. */
export interface OrgAccount {
  id: string;
  name: string;
  email?: string;
  /** `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, ...), falling back to the retiring `Status`. */
  state: string;
  joinedAt?: string;
}

/** The Organizations reads target selection needs, behind a port for tests. */
export interface OrgPort {
  /** Every account of the organization. */
  listAccounts(): Promise<OrgAccount[]>;
  /** Accounts directly under a root or OU. */
  listAccountsForParent(parentId: string): Promise<OrgAccount[]>;
  /** OU ids directly under a root or OU. */
  listChildOus(parentId: string): Promise<string[]>;
  /** Tags of an account. */
  listTags(accountId: string): Promise<Record<string, string>>;
}

/** Where to reach Organizations: its partition's home region, or a custom endpoint. */
export interface OrgTarget {
  region: string;
  endpoint?: string;
  handler?: SharedHandler;
}

interface SdkAccount {
  Id?: string;
  Name?: string;
  Email?: string;
  State?: string;
  Status?: string;
  JoinedTimestamp?: Date;
}

function toAccount(a: SdkAccount): OrgAccount | undefined {
  if (!a.Id) return undefined;
  return {
    id: a.Id,
    name: a.Name ?? '',
    ...(a.Email ? { email: a.Email } : {}),
    // Status is retired on 2026-09-09; State is its successor.
    state: a.State ?? a.Status ?? 'UNKNOWN',
    ...(a.JoinedTimestamp ? { joinedAt: new Date(a.JoinedTimestamp).toISOString() } : {}),
  };
}

/**
 * Pages until NextToken is absent. Organizations "can occasionally return
 * an empty set of results even when more results are available", so an empty
 * page never ends the loop; only a missing NextToken does.
 */
export async function drainPages<T>(fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < 100_000; pages++) {
    const r = await fetch(token);
    out.push(...r.items);
    if (!r.next) return out;
    token = r.next;
  }
  return out;
}

/**
 * An {@link OrgPort} over `@aws-sdk/client-organizations` (loaded lazily),
 * called with the source profile's session credentials. Organizations'
 * throttling (TooManyRequestsException) is undocumented and bites above a few
 * hundred accounts, so every call goes through the engine's full-jitter
 * retry loop with a quota-free budget.
 */
export function createOrgPort(caller: Credentials, target: OrgTarget): OrgPort {
  type Mod = typeof import('@aws-sdk/client-organizations');
  let mod: Promise<{ m: Mod; client: InstanceType<Mod['OrganizationsClient']> }> | undefined;
  const load = () =>
    (mod ??= import('@aws-sdk/client-organizations').then((m) => ({
      m,
      client: new m.OrganizationsClient({
        region: target.region,
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        credentials: sdkCredentials(caller),
        maxAttempts: 1,
        ...(target.handler ? { requestHandler: target.handler as never } : {}),
      }),
    })));
  const call = async <O>(what: string, f: (x: { m: Mod; client: InstanceType<Mod['OrganizationsClient']> }) => Promise<O>): Promise<O> => {
    const x = await load();
    try {
      return await withAwsRetries(() => f(x), { baseMs: 200, capMs: 5000, maxAttempts: 10 });
    } catch (e) {
      throw mapAwsError(e, `Organizations ${what}`);
    }
  };
  return {
    listAccounts: () =>
      drainPages(async (token) => {
        const r = await call('ListAccounts', ({ m, client }) => client.send(new m.ListAccountsCommand({ NextToken: token, MaxResults: 20 })));
        return { items: (r.Accounts ?? []).map(toAccount).filter((a): a is OrgAccount => !!a), next: r.NextToken };
      }),
    listAccountsForParent: (parentId) =>
      drainPages(async (token) => {
        const r = await call('ListAccountsForParent', ({ m, client }) =>
          client.send(new m.ListAccountsForParentCommand({ ParentId: parentId, NextToken: token, MaxResults: 20 })),
        );
        return { items: (r.Accounts ?? []).map(toAccount).filter((a): a is OrgAccount => !!a), next: r.NextToken };
      }),
    listChildOus: (parentId) =>
      drainPages(async (token) => {
        const r = await call('ListChildren', ({ m, client }) =>
          client.send(new m.ListChildrenCommand({ ParentId: parentId, ChildType: 'ORGANIZATIONAL_UNIT', NextToken: token, MaxResults: 20 })),
        );
        return { items: (r.Children ?? []).map((c) => c.Id).filter((id): id is string => !!id), next: r.NextToken };
      }),
    async listTags(accountId) {
      const tags = await drainPages(async (token) => {
        const r = await call('ListTagsForResource', ({ m, client }) =>
          client.send(new m.ListTagsForResourceCommand({ ResourceId: accountId, NextToken: token })),
        );
        return { items: r.Tags ?? [], next: r.NextToken };
      });
      return Object.fromEntries(tags.filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));
    },
  };
}
