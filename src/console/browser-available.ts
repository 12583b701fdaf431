/** The environment facts {@link noBrowserReason} looks at (passed in: nothing below src/cli reads process.env). */
export type BrowserEnv = Readonly<Record<string, string | undefined>>;

const set = (env: BrowserEnv, name: string): boolean => (env[name] ?? '') !== '';

/**
 * Why the system's default browser certainly cannot start, or undefined when
 * it may. Only the case that is sure without trying: Linux (not WSL, whose
 * launcher starts the Windows browser) with no X or Wayland display and no
 * `BROWSER`. There xdg-open can only fall back to a text browser, which,
 * detached and without a terminal, shows nothing to anyone.
 */
export function noBrowserReason(env: BrowserEnv, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'linux') return undefined;
  if (set(env, 'WSL_DISTRO_NAME') || set(env, 'WSL_INTEROP')) return undefined;
  if (set(env, 'DISPLAY') || set(env, 'WAYLAND_DISPLAY') || set(env, 'BROWSER')) return undefined;
  return 'no graphical session: DISPLAY, WAYLAND_DISPLAY and BROWSER are unset';
}
