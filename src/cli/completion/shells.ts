/** The shells `completion` writes scripts for (and `shell-init` functions for). */
export const SHELLS: readonly string[] = ['bash', 'zsh', 'fish'];
