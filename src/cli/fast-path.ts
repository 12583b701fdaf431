/**
 * The one invocation AWS tools make over and over:
 * `rolehop export PROFILE --format credential-process` from a
 * `credential_process` line. A match skips the argument parser (commander
 * costs about 20 ms to load) and goes to the hot path (`src/hot-path/credential-process.ts`), then
 * if need be straight to the export handler; anything else, including any
 * extra flag, takes the normal path.
 */
export function matchCredentialProcess(argv: readonly string[]): string | undefined {
  if (argv[0] !== 'export' || argv.length < 3 || argv.length > 4) return undefined;
  const profile = argv[1]!;
  if (profile.startsWith('-')) return undefined;
  const rest = argv.slice(2);
  const ok =
    (rest.length === 1 && rest[0] === '--format=credential-process') ||
    (rest.length === 2 && (rest[0] === '--format' || rest[0] === '-f') && rest[1] === 'credential-process');
  return ok ? profile : undefined;
}
