/**
 * `fn` over `items`, at most `limit` at a time, results in input order. A
 * rejection rejects the whole call once the running calls have settled (the
 * jobs here catch their per-AMI errors, so that means the target failed).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = Array.from({ length: items.length }) as R[];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return out;
}
