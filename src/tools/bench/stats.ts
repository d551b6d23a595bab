/** Small statistics helpers for the benchmarks. */

/** The q-quantile (0..1) of a list of numbers (nearest rank). */
export function quantile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Milliseconds with 3 decimals. */
export function ms(n: number): string {
  return Number.isFinite(n) ? n.toFixed(3) : 'n/a';
}

/** Runs `fn` `n` times (after `warmup` runs) and returns each duration in ms. */
export async function timeEach(n: number, fn: (i: number) => unknown, warmup = Math.min(200, n)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}
