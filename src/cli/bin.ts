import { matchCredentialProcess } from './fast-path.js';
import { existsSync } from 'node:fs';
import { agentPaths } from '../agent/protocol.js';
import { resolveLocations } from '../io/locations.js';
import { quietSdkWarning } from './sdk-warning.js';

// Node >= 22.1 can cache compiled code on disk: most of the bundle's
// compile time disappears from every later start. Older Node lacks it.
const mod = (await import('node:module')) as { enableCompileCache?: () => unknown };
try {
  mod.enableCompileCache?.();
} catch {
  // a read-only cache dir only costs speed
}

const argv = process.argv.slice(2);
quietSdkWarning(argv.includes('--debug'));
const profile = matchCredentialProcess(argv);

/** With an agent running, credential_process needs none of the other modules. */
async function viaAgent(p: string): Promise<boolean> {
  // Without a socket there is no agent: do not load the socket client at all.
  if (process.env.ROLEHOP_NO_AGENT || !existsSync(agentPaths(resolveLocations(process.env).rolehopHome).socket)) return false;
  try {
    const { credentialProcessViaAgent } = await import('./agent-fast-path.js');
    const out = await credentialProcessViaAgent(p, process.env);
    if (out === undefined) return false;
    process.stdout.write(out, () => process.exit(0));
    return true;
  } catch (e) {
    const { renderError } = await import('./render-error.js');
    const code = renderError(e, process.stderr, { json: false, debug: false });
    process.stdout.write('', () => process.exit(code));
    return true;
  }
}

if (profile === undefined || !(await viaAgent(profile))) {
  const { runMain, runCredentialProcess } = await import('./main.js');
  await (profile === undefined ? runMain(argv) : runCredentialProcess(profile));
}
