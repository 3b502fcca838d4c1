// sweepCount / sweepOldest / statOf: time-weighted averages, peaks and end values, with the
// integrals worked out by hand (times in minutes after a base instant).
import { describe, expect, it } from 'vitest';
import type { Segment } from './axis';
import { statOf, sweepCount, sweepOldest, type Acc, type SpanInterval } from './sweep';

const BASE = Date.UTC(2025, 5, 3, 10, 0, 0);
const m = (minutes: number) => BASE + minutes * 60_000;
const span = (a: number, b: number, origin?: number): SpanInterval => ({
  start: m(a),
  end: m(b),
  ...(origin === undefined ? {} : { origin: m(origin) }),
});
const seg = (a: number, b: number, key: string): Segment => ({ start: m(a), end: m(b), key });

function count(intervals: SpanInterval[], segments: Segment[]): Map<string, Acc> {
  const out = new Map<string, Acc>();
  sweepCount(intervals, segments, out);
  return out;
}
function oldest(intervals: SpanInterval[], segments: Segment[]): Map<string, Acc> {
  const out = new Map<string, Acc>();
  sweepOldest(intervals, segments, out);
  return out;
}
const stats = (acc: Acc | undefined) => ({ avg: statOf(acc, 'avg'), max: statOf(acc, 'max'), last: statOf(acc, 'last') });

describe('sweepCount', () => {
  // Waits [5,20), [10,12), [25,30); buckets [0,15) and [15,30).
  const out = count([span(5, 20), span(10, 12), span(25, 30)], [seg(0, 15, 'a'), seg(15, 30, 'b')]);

  it('averages overlapping waits over each bucket: (5x1 + 2x2 + 3x1) / 15 = 0.8, peak 2, 1 at the end', () => {
    expect(stats(out.get('a'))).toEqual({ avg: 0.8, max: 2, last: 1 });
  });

  it('carries a wait across the bucket edge: (5x1 + 5x1) / 15, peak 1, 1 at the end (still open)', () => {
    const b = stats(out.get('b'));
    expect(b.avg).toBeCloseTo(10 / 15, 12);
    expect(b).toMatchObject({ max: 1, last: 1 });
  });

  it('does not count back-to-back intervals twice at the instant they touch (peak 1, not 2)', () => {
    // 'last' is the value just before the bucket's end: the second wait is still open then.
    const o = count([span(0, 10), span(10, 20)], [seg(0, 20, 'x')]);
    expect(stats(o.get('x'))).toEqual({ avg: 1, max: 1, last: 1 });
  });

  it('ignores empty intervals', () => {
    const o = count([span(5, 5)], [seg(0, 10, 'x')]);
    expect(stats(o.get('x'))).toEqual({ avg: 0, max: 0, last: 0 });
  });

  it('pools the segments of a cyclic key (same hour on two days): integral and time add up', () => {
    // [5,25) over segments a=[0,10), b=[10,20), a=[20,30): a has 5 + 5 minutes out of 20.
    const o = count([span(5, 25)], [seg(0, 10, 'a'), seg(10, 20, 'b'), seg(20, 30, 'a')]);
    expect(stats(o.get('a'))).toEqual({ avg: 0.5, max: 1, last: 0 });
    expect(stats(o.get('b'))).toEqual({ avg: 1, max: 1, last: 1 });
  });
});

describe('sweepOldest', () => {
  it('averages a linearly growing age to its midpoint and peaks at the end', () => {
    // One wait over the whole bucket [0,10): age 0 -> 600 s; mean 300 s, max and last 600 s.
    expect(stats(oldest([span(0, 10)], [seg(0, 10, 'x')]).get('x'))).toEqual({ avg: 300, max: 600, last: 600 });
  });

  it('counts no one waiting as 0 and splits a wait across buckets', () => {
    // Wait [5,20). Bucket [0,15): 5 min of 0, 10 min growing 0 -> 600 s (mean 300) => 3000/15 = 200 s.
    // Bucket [15,30): 5 min growing 600 -> 900 s (mean 750), 10 min of 0 => 3750/15 = 250 s; peak 900, 0 at end.
    const out = oldest([span(5, 20)], [seg(0, 15, 'a'), seg(15, 30, 'b')]);
    expect(stats(out.get('a'))).toEqual({ avg: 200, max: 600, last: 600 });
    expect(stats(out.get('b'))).toEqual({ avg: 250, max: 900, last: 0 });
  });

  it('follows the next oldest when the oldest one stops waiting', () => {
    // A [0,10), B [2,20). 0-10: A 0 -> 600 s (mean 300) x10 = 3000; 10-20: B 480 -> 1080 s (mean 780) x10 = 7800.
    // => 10800 / 20 = 540 s; peak 1080; 1080 at the end.
    expect(stats(oldest([span(0, 10), span(2, 20)], [seg(0, 20, 'x')]).get('x'))).toEqual({ avg: 540, max: 1080, last: 1080 });
  });

  it('is not disturbed by a younger wait ending while the oldest goes on', () => {
    // A [0,30) stays the oldest; B [5,10) comes and goes: mean 900 s, peak 1800.
    expect(stats(oldest([span(0, 30), span(5, 10)], [seg(0, 30, 'x')]).get('x'))).toEqual({ avg: 900, max: 1800, last: 1800 });
  });

  it('measures age from the origin (task creation), not from the queue entry', () => {
    // Created at 0, entered this queue at 10, waits to 14: age 600 -> 840 s, mean 720.
    expect(stats(oldest([span(10, 14, 0)], [seg(10, 14, 'x')]).get('x'))).toEqual({ avg: 720, max: 840, last: 840 });
  });

  it('takes the oldest by origin even when it started waiting later', () => {
    // A [10,20) created at 10; B [12,20) created at 0 (moved in). 10-12: A 0 -> 120 s (mean 60) x2 = 120;
    // 12-20: B 720 -> 1200 s (mean 960) x8 = 7680 => 7800 / 10 = 780 s.
    expect(stats(oldest([span(10, 20, 10), span(12, 20, 0)], [seg(10, 20, 'x')]).get('x'))).toEqual({ avg: 780, max: 1200, last: 1200 });
  });
});

describe('statOf', () => {
  it('is null for a bucket with no covered time (e.g. entirely after now)', () => {
    expect(statOf(undefined, 'avg')).toBeNull();
    expect(statOf({ integral: 0, duration: 0, max: -Infinity, last: 0, lastAt: -Infinity }, 'max')).toBeNull();
  });
});
