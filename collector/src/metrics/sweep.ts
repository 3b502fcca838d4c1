// Pure time-weighted statistics of interval sets over segmented time: how many intervals are open
// (tasks waiting, agents logged in) and how old the oldest open one is (longest wait), per series
// and per output bucket — time-weighted average, peak, and the value at the bucket's end.
import type { Segment } from './axis';

export interface SpanInterval {
  start: number;
  /** Already clipped: never beyond the range end (open intervals end at min(to, now)). */
  end: number;
  /** Where age is measured from (a waiting task's creation); defaults to `start`. */
  origin?: number;
}

export interface Acc {
  /** Integral of the value over time (value x ms). */
  integral: number;
  /** Time covered (ms). */
  duration: number;
  max: number;
  /** Value at the end of the latest segment. */
  last: number;
  lastAt: number;
}

export function newAcc(): Acc {
  return { integral: 0, duration: 0, max: -Infinity, last: 0, lastAt: -Infinity };
}

/** Adds one piece (its integral, duration, peak and end value) to a bucket's statistics. */
export function accumulate(acc: Acc, integral: number, duration: number, max: number, last: number, at: number): void {
  acc.integral += integral;
  acc.duration += duration;
  acc.max = Math.max(acc.max, max);
  if (at >= acc.lastAt) [acc.last, acc.lastAt] = [last, at];
}

/** Number of open intervals, per segment key. */
export function sweepCount(intervals: readonly SpanInterval[], segments: readonly Segment[], out: Map<string, Acc>): void {
  const changes: [number, number][] = [];
  for (const i of intervals) {
    if (i.end <= i.start) continue;
    changes.push([i.start, 1], [i.end, -1]);
  }
  changes.sort((a, b) => a[0] - b[0]);
  let level = 0;
  let idx = 0;
  for (const seg of segments) {
    while (idx < changes.length && changes[idx]![0] <= seg.start) level += changes[idx++]![1];
    let cur = seg.start;
    let integral = 0;
    let max = level;
    while (idx < changes.length && changes[idx]![0] < seg.end) {
      const t = changes[idx]![0];
      integral += level * (t - cur);
      cur = t;
      while (idx < changes.length && changes[idx]![0] === t) level += changes[idx++]![1];
      max = Math.max(max, level);
    }
    integral += level * (seg.end - cur);
    let acc = out.get(seg.key);
    if (!acc) out.set(seg.key, (acc = newAcc()));
    accumulate(acc, integral, seg.end - seg.start, max, level, seg.end);
  }
}

/** Age in seconds (from its origin) of the oldest open interval, 0 when none is open, per segment key. */
export function sweepOldest(intervals: readonly SpanInterval[], segments: readonly Segment[], out: Map<string, Acc>): void {
  const byStart = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const age = (i: SpanInterval) => i.origin ?? i.start;
  const ends: number[] = [];
  // Min-heap of open intervals' (start, end), lazily dropping the ended ones.
  const heap: SpanInterval[] = [];
  const push = (i: SpanInterval) => {
    heap.push(i);
    let c = heap.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (age(heap[p]!) <= age(heap[c]!)) break;
      [heap[p], heap[c]] = [heap[c]!, heap[p]!];
      c = p;
    }
  };
  const pop = () => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < heap.length && age(heap[l]!) < age(heap[m]!)) m = l;
        if (r < heap.length && age(heap[r]!) < age(heap[m]!)) m = r;
        if (m === p) break;
        [heap[p], heap[m]] = [heap[m]!, heap[p]!];
        p = m;
      }
    }
    return top;
  };
  for (const i of byStart) ends.push(i.end);
  const times = [...new Set([...byStart.map((i) => i.start), ...ends])].sort((a, b) => a - b);
  let next = 0;
  let ti = 0;
  const oldestAt = (t: number): number | null => {
    while (next < byStart.length && byStart[next]!.start <= t) push(byStart[next++]!);
    while (heap.length > 0 && heap[0]!.end <= t) pop();
    return heap.length > 0 ? age(heap[0]!) : null;
  };
  for (const seg of segments) {
    while (ti < times.length && times[ti]! <= seg.start) ti++;
    let cur = seg.start;
    let oldest = oldestAt(cur);
    let integral = 0;
    let max = oldest === null ? 0 : (cur - oldest) / 1000;
    const piece = (a: number, b: number) => {
      if (oldest === null || b <= a) return;
      integral += ((b - a) * ((a + b) / 2 - oldest)) / 1000;
      max = Math.max(max, (b - oldest) / 1000);
    };
    while (ti < times.length && times[ti]! < seg.end) {
      const t = times[ti++]!;
      piece(cur, t);
      cur = t;
      oldest = oldestAt(t);
    }
    piece(cur, seg.end);
    const last = oldest === null ? 0 : (seg.end - oldest) / 1000;
    let acc = out.get(seg.key);
    if (!acc) out.set(seg.key, (acc = newAcc()));
    accumulate(acc, integral, seg.end - seg.start, max, last, seg.end);
  }
}

export function statOf(acc: Acc | undefined, stat: 'avg' | 'max' | 'last'): number | null {
  if (!acc || acc.duration === 0) return null;
  if (stat === 'max') return acc.max;
  if (stat === 'last') return acc.last;
  return acc.integral / acc.duration;
}
