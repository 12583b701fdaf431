import module from 'node:module';

/**
 * The loader hook, as source (a `data:` URL needs no file next to the
 * bundle, wherever esbuild puts this code). Normal resolution always runs
 * first, so a job's own installed SDK wins; only an `@aws-sdk/*` import that
 * found nothing is tried again from rolehop's own install.
 */
const HOOK = `
let parentURL;
export function initialize(data) { parentURL = data.parentURL; }
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('@aws-sdk/')) throw e;
    try {
      return await next(specifier, { ...context, parentURL });
    } catch {
      throw e;
    }
  }
}`;

let registered = false;

/**
 * Makes the `@aws-sdk/*` packages installed with rolehop (client-sts,
 * client-iam, client-organizations, client-ec2, client-acm, client-ssm,
 * client-auto-scaling and what they depend on) importable from a
 * `--job` module anywhere, when the job's own directory has none. Registers a
 * process-wide resolve hook once (Node >= 20.6; a no-op before), so only
 * `--job` runs pay for it. An import the job's directory can satisfy is never
 * redirected.
 */
export function reachRolehopSdkFromJobs(): void {
  if (registered || typeof module.register !== 'function') return;
  registered = true;
  // Resolving from this module's location walks up to rolehop's node_modules.
  module.register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { parentURL: import.meta.url } });
}
