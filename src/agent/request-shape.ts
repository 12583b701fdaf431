// What the agent accepts from a socket: every frame is checked here before
// anything acts on it, and rebuilt from its known fields only, so a peer's
// `__proto__`, extra keys or wrong types never reach a broker.
import { ErrorCodes, type ErrorCode } from '../errors.js';
import { isRelevantVariable, type AgentOp, type AgentRequest } from './protocol.js';

/** A checked message from a caller: a request, an answer to an MFA question, or what was wrong with it. */
export type CheckedFrame =
  | { kind: 'request'; req: AgentRequest }
  | { kind: 'answer'; askId: number; answer: string }
  | { kind: 'answer'; askId: number; error: { code: ErrorCode; message: string; hint?: string } }
  /** A request with a usable id but a bad body: answer it with an error, keep the connection. */
  | { kind: 'bad-request'; id: number; why: string }
  /** Nothing to address an answer to: the connection is dropped. */
  | { kind: 'unaddressable'; why: string };

const OPS: ReadonlySet<string> = new Set<AgentOp>([
  'hello',
  'credentials',
  'credentialProcess',
  'sessionCredentials',
  'assumeRole',
  'storedKey',
  'clearSessions',
  'status',
  'stop',
]);
const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCodes));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const opt = (o: Obj, k: string, type: 'string' | 'number' | 'boolean'): boolean => o[k] === undefined || typeof o[k] === type;

/** Copies the listed optional fields of `o` that have the right type; undefined when one has the wrong type. */
function pick(o: unknown, fields: Record<string, 'string' | 'number' | 'boolean'>): Obj | undefined {
  if (o === undefined) return {};
  if (!isObj(o)) return undefined;
  const out: Obj = {};
  for (const [k, type] of Object.entries(fields)) {
    if (!opt(o, k, type)) return undefined;
    if (o[k] !== undefined) out[k] = o[k];
  }
  return out;
}

const CREDENTIAL_REQUEST = { region: 'string', durationSeconds: 'number', noSession: 'boolean', forceRefresh: 'boolean', minTtlSeconds: 'number' } as const;
const ASSUME_REQUEST = {
  sourceProfile: 'string',
  roleArn: 'string',
  roleSessionName: 'string',
  externalId: 'string',
  durationSeconds: 'number',
  region: 'string',
  persist: 'boolean',
  minTtlSeconds: 'number',
} as const;

/** The operation's arguments rebuilt from their known fields, or undefined when they have the wrong shape. */
function checkArgs(op: AgentOp, a: unknown[]): unknown[] | undefined {
  const profile = typeof a[0] === 'string';
  switch (op) {
    case 'credentials':
    case 'sessionCredentials': {
      const req = pick(a[1], CREDENTIAL_REQUEST);
      return profile && req ? [a[0], req] : undefined;
    }
    case 'credentialProcess':
    case 'storedKey':
      return profile ? [a[0]] : undefined;
    case 'clearSessions':
      return a[0] === undefined ? [] : profile ? [a[0]] : undefined;
    case 'assumeRole': {
      const req = pick(a[0], ASSUME_REQUEST);
      return req && typeof req.sourceProfile === 'string' && typeof req.roleArn === 'string' ? [req] : undefined;
    }
    default:
      return [];
  }
}

/** The caller's relevant variables (others, `__proto__` among them, are ignored); undefined when `env` is not an object or a relevant one is not a string. */
function checkEnv(env: unknown): Record<string, string> | undefined {
  if (env === undefined) return {};
  if (!isObj(env)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!isRelevantVariable(k)) continue;
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

function checkAnswer(m: Obj): CheckedFrame {
  const askId = m.askId as number;
  if (typeof m.answer === 'string') return { kind: 'answer', askId, answer: m.answer };
  const w = isObj(m.error) ? m.error : {};
  const code = typeof w.code === 'string' && CODES.has(w.code) ? (w.code as ErrorCode) : ErrorCodes.MFA_UNAVAILABLE;
  const message = typeof w.message === 'string' ? w.message : 'No MFA code was given';
  return { kind: 'answer', askId, error: { code, message, ...(typeof w.hint === 'string' ? { hint: w.hint } : {}) } };
}

/**
 * Checks one parsed frame from a caller. Never throws, whatever `m` is: a
 * frame with a usable `id` but a bad body becomes `bad-request` (answered
 * with ERR_AGENT on that id), one without an id `unaddressable`.
 */
export function checkFrame(m: unknown): CheckedFrame {
  if (!isObj(m)) return { kind: 'unaddressable', why: 'not an object' };
  if (m.askId !== undefined) return isId(m.askId) ? checkAnswer(m) : { kind: 'unaddressable', why: 'bad askId' };
  if (!isId(m.id)) return { kind: 'unaddressable', why: 'no id' };
  const id = m.id;
  if (typeof m.op !== 'string') return { kind: 'bad-request', id, why: 'no operation' };
  if (!OPS.has(m.op)) return { kind: 'bad-request', id, why: 'unknown operation' };
  if (m.v !== undefined && typeof m.v !== 'number') return { kind: 'bad-request', id, why: 'bad version' };
  if (m.b !== undefined && typeof m.b !== 'string') return { kind: 'bad-request', id, why: 'bad build' };
  if (m.args !== undefined && !Array.isArray(m.args)) return { kind: 'bad-request', id, why: 'bad arguments' };
  const op = m.op as AgentOp;
  const args = checkArgs(op, (m.args as unknown[] | undefined) ?? []);
  if (!args) return { kind: 'bad-request', id, why: `bad arguments for ${op}` };
  const env = checkEnv(m.env);
  if (!env) return { kind: 'bad-request', id, why: 'bad environment' };
  return {
    kind: 'request',
    req: { id, op, args, env, ...(m.v !== undefined ? { v: m.v as number } : {}), ...(m.b !== undefined ? { b: m.b as string } : {}) },
  };
}
