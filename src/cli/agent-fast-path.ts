import { AgentConnection } from '../agent/agent-client.js';
import { envSubset } from '../agent/protocol.js';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { MfaRequest } from '../io/context.js';
import type { ResolvedCredentials } from '../sessions/broker-contract.js';
import { formatCredentials } from './output/credential-formats.js';

/**
 * `credential_process` answered by a running agent: one connection, one
 * request (it carries the protocol version, which the agent checks), the
 * document rendered here. Resolves undefined when no compatible agent
 * answers, so the normal path runs (and says why, with --debug); a failure
 * the agent reports about the profile is thrown as the RolehopError it is. `mfaCode` answers the agent's MFA
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
    let r: ResolvedCredentials;
    try {
      r = (await conn.request('credentials', [profile, {}], envSubset(env), (ask) => mfaCode(ask.req))) as ResolvedCredentials;
    } catch (e) {
      // The agent's own trouble (another protocol version, a hang-up) is
      // not an answer: the normal path says hello, warns and works without it.
      if (e instanceof RolehopError && e.code === ErrorCodes.AGENT) return undefined;
      throw e;
    }
    const c = r.credentials as Credentials & { expiration?: Date | string };
    const credentials: Credentials = c.expiration !== undefined ? { ...c, expiration: new Date(c.expiration) } : c;
    return formatCredentials('credential-process', credentials, { profile });
  } finally {
    conn.close();
  }
}
