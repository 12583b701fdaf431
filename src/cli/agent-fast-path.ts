import { AgentConnection } from '../agent/agent-client.js';
import { AGENT_PROTOCOL_VERSION, envSubset } from '../agent/protocol.js';
import type { Credentials } from '../credentials/types.js';
import type { MfaRequest } from '../io/context.js';
import type { ResolvedCredentials } from '../sessions/broker-contract.js';
import { formatCredentials } from './output/credential-formats.js';

/**
 * `credential_process` answered by a running agent: one connection, `hello`
 * and the request written together (one round trip), the document rendered
 * here. Resolves undefined when no compatible agent answers, so the normal
 * path runs (and says why, with --debug); a failure the agent reports is
 * thrown as the RolehopError it is. `mfaCode` answers the agent's MFA
 * questions in the caller's terminal; it is loaded only when one comes.
 */
export async function credentialProcessViaAgent(
  profile: string,
  rolehopHome: string,
  env: Readonly<Record<string, string | undefined>>,
  mfaCode: (req: MfaRequest) => Promise<string>,
): Promise<string | undefined> {
  const conn = await AgentConnection.open(rolehopHome);
  if (!conn) return undefined;
  try {
    const hello = conn.request('hello');
    const answer = conn.request('credentials', [profile, {}], envSubset(env), (ask) => mfaCode(ask.req));
    answer.catch(() => {});
    try {
      if ((await hello as { version?: number }).version !== AGENT_PROTOCOL_VERSION) return undefined;
    } catch {
      return undefined;
    }
    const r = (await answer) as ResolvedCredentials;
    const c = r.credentials as Credentials & { expiration?: Date | string };
    const credentials: Credentials = c.expiration !== undefined ? { ...c, expiration: new Date(c.expiration) } : c;
    return formatCredentials('credential-process', credentials, { profile });
  } finally {
    conn.close();
  }
}
