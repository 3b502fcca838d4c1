// The time side of a grouping: which output bucket an instant falls in (time buckets, local
// dates, weekdays, hours of day, or one bucket for the whole range), the list of buckets to
// return (all present, in order), and the rollup resolution that never straddles two buckets.
import { InputError } from '../errors';
import type { FrameField, GroupBy } from '@floorboard/contract';
import type { Resolution } from '../store/facts';
import { DAY, HOURS, parseInterval, WEEKDAYS, type Zone } from './time';

/** Most buckets one query may return. */
export const MAX_BUCKETS = 20_000;
const QUARTER = 15 * 60_000;

export interface Segment {
  start: number;
  end: number;
  key: string;
}

export interface TimeAxis {
  /** Output bucket keys, in order; every one is returned even when empty. */
  keys: string[];
  keyOf(ms: number): string;
  /** [from, to) cut into pieces that each lie in one bucket, in time order. */
  segments(): Segment[];
  /** Rollup resolution whose buckets each fall in one output bucket; null: use raw samples. */
  resolution: Resolution | null;
  /** The frame field holding the keys (time as epoch ms, or strings). */
  field(): FrameField;
}

function resolutionFor(zone: Zone, from: number, to: number): Resolution {
  return zone.wholeHours(from, to) ? 60 : 15;
}

/** Boundaries (sorted instants) -> axis keyed by the boundary that starts each bucket. */
function fromStarts(
  starts: number[],
  from: number,
  to: number,
  label: (start: number) => string,
  resolution: Resolution | null,
  field: 'time' | 'string',
  name: string,
): TimeAxis {
  const keys = starts.map(label);
  const keyOf = (ms: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    return keys[lo]!;
  };
  return {
    keys,
    keyOf,
    resolution,
    segments: () =>
      starts
        .map((s, i) => ({ start: Math.max(s, from), end: Math.min(starts[i + 1] ?? to, to), key: keys[i]! }))
        .filter((s) => s.end > s.start),
    field: () => (field === 'time' ? { name, type: 'time', values: starts.map((s) => s) } : { name, type: 'string', values: keys }),
  };
}

function localDayStarts(zone: Zone, from: number, to: number, everyDays = 1): number[] {
  const starts: number[] = [];
  let d = zone.startOfDay(from);
  while (d < to) {
    starts.push(d);
    for (let i = 0; i < everyDays; i++) d = zone.nextDay(d);
    if (starts.length > MAX_BUCKETS) throw new InputError(`the range has more than ${MAX_BUCKETS} days`);
  }
  return starts;
}

/** A cyclic axis (weekday, hour of day): fixed keys, segments cut at local boundaries. */
function cyclic(
  keys: readonly string[],
  keyOf: (ms: number) => string,
  from: number,
  to: number,
  step: (ms: number) => number,
  resolution: Resolution,
  name: string,
): TimeAxis {
  return {
    keys: [...keys],
    keyOf,
    resolution,
    segments: () => {
      const out: Segment[] = [];
      let s = from;
      while (s < to) {
        const e = Math.min(Math.max(step(s), s + 60_000), to);
        out.push({ start: s, end: e, key: keyOf(s) });
        s = e;
      }
      return out;
    },
    field: () => ({ name, type: 'string', values: [...keys] }),
  };
}

export function timeAxis(groupBy: GroupBy, interval: string | undefined, from: number, to: number, zone: Zone): TimeAxis {
  switch (groupBy) {
    case 'time': {
      const width = parseInterval(interval ?? '1h');
      if (width === null) throw new InputError(`interval "${interval}" is not a duration such as 30s, 5m, 1h or 1d`);
      if ((to - from) / width > MAX_BUCKETS)
        throw new InputError(`interval ${interval} gives more than ${MAX_BUCKETS} buckets for this range; use a longer interval`);
      if (width % DAY === 0) {
        const starts = localDayStarts(zone, from, to, width / DAY);
        return fromStarts(starts, from, to, String, resolutionFor(zone, from, to), 'time', 'time');
      }
      const starts: number[] = [];
      for (let s = Math.floor(from / width) * width; s < to; s += width) starts.push(s);
      const resolution = width % (60 * 60_000) === 0 ? 60 : width % QUARTER === 0 ? 15 : null;
      return fromStarts(starts, from, to, String, resolution, 'time', 'time');
    }
    case 'date':
      return fromStarts(
        localDayStarts(zone, from, to),
        from,
        to,
        (s) => zone.dateLabel(s),
        resolutionFor(zone, from, to),
        'string',
        'date',
      );
    case 'day_of_week':
      return cyclic(
        WEEKDAYS,
        (ms) => WEEKDAYS[zone.weekday(ms)]!,
        from,
        to,
        (ms) => zone.nextDay(ms),
        resolutionFor(zone, from, to),
        'day',
      );
    case 'hour_of_day':
      return cyclic(
        HOURS,
        (ms) => HOURS[zone.hour(ms)]!,
        from,
        to,
        (ms) => nextLocalHour(zone, ms),
        resolutionFor(zone, from, to),
        'hour',
      );
    default:
      return {
        keys: [''],
        keyOf: () => '',
        resolution: 60,
        segments: () => [{ start: from, end: to, key: '' }],
        field: () => ({ name: 'range', type: 'string', values: [''] }),
      };
  }
}

/** The next instant at which the local hour changes (quarter-hour steps cover every zone). */
function nextLocalHour(zone: Zone, ms: number): number {
  const h = zone.hour(ms);
  let t = Math.floor(ms / QUARTER) * QUARTER + QUARTER;
  while (zone.hour(t) === h) t += QUARTER;
  return t;
}

export function isTimeGrouping(groupBy: GroupBy): boolean {
  return groupBy === 'time' || groupBy === 'date' || groupBy === 'day_of_week' || groupBy === 'hour_of_day';
}
