// The contact center's ratios, defined once: queries, the snapshot, Prometheus and annotations all
// compute service level, abandon rate, occupancy and average waits with these functions.

/** num ÷ den × 100; null when there is nothing to divide by. */
export function percent(num: number, den: number): number | null {
  return den > 0 ? (num / den) * 100 : null;
}

/** Task counts that service level and abandon rate are computed from. */
export interface OutcomeCounts {
  handled: number;
  /** Handled with a wait within the queue's service-level threshold. */
  handledInSl: number;
  abandoned: number;
  /** Abandoned before the short-abandon limit (left out of service level). */
  abandonedShort: number;
}

/** Handled within T ÷ (handled + abandoned − short abandoned) × 100 (docs/metrics.md `service_level`). */
export function serviceLevel(c: OutcomeCounts): number | null {
  return percent(c.handledInSl, c.handled + c.abandoned - c.abandonedShort);
}

/** Abandoned ÷ (handled + abandoned) × 100. */
export function abandonRate(c: Pick<OutcomeCounts, 'handled' | 'abandoned'>): number | null {
  return percent(c.abandoned, c.handled + c.abandoned);
}

/** Time with an accepted task ÷ time logged in × 100, at most 100. */
export function occupancy(busyMs: number, loggedInMs: number): number | null {
  const p = percent(busyMs, loggedInMs);
  return p === null ? null : Math.min(100, p);
}

/** Mean of durations summed in milliseconds, in seconds; null without samples. */
export function meanSeconds(sumMs: number, count: number): number | null {
  return count > 0 ? sumMs / 1000 / count : null;
}

/** One decimal, as the snapshot and the wallboard show numbers. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
