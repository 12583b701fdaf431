// Memory of the fan-out benchmark's engine child, sampled over its run:
// process.memoryUsage() in MB beside the targets done, and what the samples
// say about growth. RSS alone cannot tell memory kept from a high-water
// mark; the breakdown can: growth in heapTotal with a flat live heap is V8
// sizing its heap, growth in rss − heapTotal is memory outside the JS heap
// (sockets, Buffers, malloc).

/** One sample, MB. */
export interface MemorySample {
  /** Targets done when it was taken. */
  done: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const MB = 2 ** 20;

/** `process.memoryUsage()` now, in MB, with the targets done. */
export function memorySample(done: number): MemorySample {
  const u = process.memoryUsage();
  return { done, rss: u.rss / MB, heapTotal: u.heapTotal / MB, heapUsed: u.heapUsed / MB, external: u.external / MB, arrayBuffers: u.arrayBuffers / MB };
}

/**
 * Least-squares slope of `pick(sample)` over the targets done, in KB per
 * account (`regions` targets), from the first sample at a quarter of the
 * run (past the warm-up: SDK modules, caches, V8 growing its young
 * generation) to the last. A sawtooth from garbage collections averages
 * out here where a first-vs-last difference takes whatever tooth the last
 * sample fell on. NaN with fewer than three samples.
 */
export function growthKbPerAccount(samples: readonly MemorySample[], pick: (s: MemorySample) => number, regions: number): number {
  const total = samples.at(-1)?.done ?? 0;
  const xs = samples.filter((s) => s.done >= total / 4);
  if (xs.length < 3) return NaN;
  const mx = xs.reduce((a, s) => a + s.done, 0) / xs.length;
  const my = xs.reduce((a, s) => a + pick(s), 0) / xs.length;
  let num = 0;
  let den = 0;
  for (const s of xs) {
    num += (s.done - mx) * (pick(s) - my);
    den += (s.done - mx) ** 2;
  }
  return den > 0 ? (num / den) * 1024 * regions : NaN;
}
