/**
 * Small statistics over samples, by the nearest-rank method: each figure
 * is a value that was actually observed.
 * @module
 */

/** Median, 99th percentile and maximum of a sample, in its unit. */
export interface Spread {
  count: number;
  min: number;
  median: number;
  p99: number;
  max: number;
}

/** The `p`-th percentile (0-100) of `values`, or NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** The median (nearest rank, so the lower middle of an even sample). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Median, p99 and max of `values`. */
export function spread(values: readonly number[]): Spread {
  return {
    count: values.length,
    min: percentile(values, 0),
    median: median(values),
    p99: percentile(values, 99),
    max: percentile(values, 100),
  };
}
