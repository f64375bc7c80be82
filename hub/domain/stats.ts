// Descriptive statistics for the supervision reports. Pure: numbers in, numbers out.

/**
 * The p-th percentile (0–100) of the values, by linear interpolation between the two
 * nearest ranks (the "inclusive" method of Excel's PERCENTILE.INC and numpy's default),
 * so a supervisor who checks a figure in a spreadsheet gets the same number.
 * `sorted` must be in ascending order; null for no values.
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Median, 90th percentile, mean and count of unsorted values (the input is not changed). */
export type Summary = { n: number; median: number | null; p90: number | null; mean: number | null; max: number | null };

export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return {
    n,
    median: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    mean: n ? sum / n : null,
    max: n ? sorted[n - 1] : null,
  };
}

/** A share as a fraction 0–1; null when there is nothing to divide (not 0, which would read "none"). */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Collects numbers cheaply (a growable Float64Array) before summarizing. */
export class Samples {
  private buf = new Float64Array(64);
  length = 0;

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  summary(): Summary {
    return summarize(this.buf.subarray(0, this.length));
  }
}

/** Milliseconds → minutes with one decimal, for the reports (null stays null). */
export function minutes(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 6000) / 10;
}

/** Milliseconds → days with one decimal. */
export function days(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 8_640_000) / 10;
}

/** The `count` largest entries by value, ties broken by key, largest first. */
export function topBy<K>(entries: Iterable<[K, number]>, count: number): [K, number][] {
  return [...entries].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, count);
}

/**
 * The p-th percentile of values given as a histogram (value, how many), by the same rank
 * rule as percentileSorted: the answer is what percentileSorted would give on the values
 * spelled out one by one. The reports bucket durations in SQL (to a tenth of a minute)
 * and read the percentiles here, so a year of visits never has to cross into JavaScript.
 */
export function percentileOfHistogram(buckets: readonly (readonly [number, number])[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...buckets].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((a, [, c]) => a + c, 0);
  if (n === 0) return null;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const at = (k: number) => {
    let seen = 0;
    for (const [v, c] of sorted) {
      seen += c;
      if (k < seen) return v;
    }
    return sorted[sorted.length - 1][0];
  };
  const a = at(lo);
  return a + (at(hi) - a) * (rank - lo);
}

/** Histogram of values (each a count) → the same Summary as summarize(); mean from the exact sum when given. */
export function summarizeHistogram(buckets: readonly (readonly [number, number])[], exactSum?: number): Summary {
  const n = buckets.reduce((a, [, c]) => a + c, 0);
  if (n === 0) return { n: 0, median: null, p90: null, mean: null, max: null };
  const sum = exactSum ?? buckets.reduce((a, [v, c]) => a + v * c, 0);
  return {
    n,
    median: percentileOfHistogram(buckets, 50),
    p90: percentileOfHistogram(buckets, 90),
    mean: sum / n,
    max: Math.max(...buckets.filter(([, c]) => c > 0).map(([v]) => v)),
  };
}
