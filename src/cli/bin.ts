import { matchCredentialProcess } from './fast-path.js';
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
const { runMain, runCredentialProcess } = await import('./main.js');
await (profile === undefined ? runMain(argv) : runCredentialProcess(profile));
