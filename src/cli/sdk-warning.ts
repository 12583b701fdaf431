/** The AWS SDK's switch for its "Node < 22" notice. */
const SDK_WARNING_VAR = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

let ours = false;

/**
 * Silences the SDK's multi-line Node-version notice, which would otherwise
 * interrupt every `exec` on Node 20 (README "Runtimes" says it once; `--debug`
 * shows it). Leaves a user's own setting alone.
 */
export function quietSdkWarning(debug: boolean): void {
  if (debug || process.env[SDK_WARNING_VAR] !== undefined) return;
  process.env[SDK_WARNING_VAR] = 'true';
  ours = true;
}

/** Removes our own setting from an environment snapshot, so children never see it. */
export function withoutOurSdkSetting(env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (ours) delete env[SDK_WARNING_VAR];
  return env;
}
