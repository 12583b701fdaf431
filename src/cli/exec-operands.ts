/**
 * Whether `exec`'s profile was left out: no operand at all, or none before
 * the `--` that ended option parsing (`rolehop exec -- aws s3 ls`).
 * Commander drops that `--`, so `exec -- aws s3 ls` and `exec aws s3 ls`
 * reach the handler with the same operands; the root's raw arguments tell
 * them apart, since every argument after the first `--` is an operand.
 */
export function profileOmitted(rawArgs: readonly string[], operandCount: number): boolean {
  const dash = rawArgs.indexOf('--');
  const afterDash = dash < 0 ? 0 : rawArgs.length - dash - 1;
  return operandCount - afterDash <= 0;
}
