// timeAxis: the buckets a grouping returns (all present, in order), the bucket an instant falls
// in, the segments state metrics are swept over, and the rollup resolution that is safe to use.
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { MAX_BUCKETS, timeAxis } from './axis';
import { HOUR, HOURS, WEEKDAYS, Zone } from './time';

const iso = (s: string) => Date.parse(s);
const NY = new Zone('America/New_York');
const UTC = new Zone('UTC');
const KOLKATA = new Zone('Asia/Kolkata');
const lengths = (segs: { start: number; end: number }[]) => segs.map((s) => (s.end - s.start) / HOUR);

describe('timeAxis: cyclic groupings', () => {
  const from = iso('2025-06-02T00:00:00Z'); // a Monday
  const to = iso('2025-06-04T00:00:00Z');

  it('day_of_week lists Mon…Sun in that order, whatever days the range covers', () => {
    const axis = timeAxis('day_of_week', undefined, from, to, UTC);
    expect(axis.keys).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(axis.field()).toEqual({ name: 'day', type: 'string', values: [...WEEKDAYS] });
    expect(axis.keyOf(iso('2025-06-03T12:00:00Z'))).toBe('Tue');
    expect(axis.segments().map((s) => s.key)).toEqual(['Mon', 'Tue']);
  });

  it('hour_of_day lists 00…23 and cuts the range at every local hour', () => {
    const axis = timeAxis('hour_of_day', undefined, from, to, UTC);
    expect(axis.keys).toEqual(HOURS);
    expect(axis.keys[0]).toBe('00');
    expect(axis.keys[23]).toBe('23');
    expect(axis.segments()).toHaveLength(48);
  });

  it('hour_of_day in New York on 2025-11-02 gives hour 01 two real hours (01:00 EDT to 02:00 EST)', () => {
    const day = iso('2025-11-02T04:00:00Z');
    const segs = timeAxis('hour_of_day', undefined, day, day + 25 * HOUR, NY).segments();
    const hoursOf = (key: string) => segs.filter((s) => s.key === key).reduce((sum, s) => sum + (s.end - s.start) / HOUR, 0);
    expect(hoursOf('01')).toBe(2);
    expect(hoursOf('00')).toBe(1);
    expect(hoursOf('02')).toBe(1);
    expect(segs.reduce((sum, s) => sum + (s.end - s.start) / HOUR, 0)).toBe(25);
  });

  it('hour_of_day in Kolkata cuts at half past the UTC hour and uses 15-minute rollups', () => {
    const axis = timeAxis('hour_of_day', undefined, iso('2025-06-02T10:00:00Z'), iso('2025-06-02T12:00:00Z'), KOLKATA);
    expect(axis.resolution).toBe(15);
    expect(
      axis.segments().map((s) => [s.key, new Date(s.start).toISOString().slice(11, 16), new Date(s.end).toISOString().slice(11, 16)]),
    ).toEqual([
      ['15', '10:00', '10:30'],
      ['16', '10:30', '11:30'],
      ['17', '11:30', '12:00'],
    ]);
  });
});

describe('timeAxis: dates and days in a zone', () => {
  it('date gives local dates, and the 2025-11-02 bucket in New York is 25 hours long', () => {
    const from = iso('2025-11-01T04:00:00Z');
    const to = iso('2025-11-04T05:00:00Z');
    const axis = timeAxis('date', undefined, from, to, NY);
    expect(axis.keys).toEqual(['2025-11-01', '2025-11-02', '2025-11-03']);
    expect(lengths(axis.segments())).toEqual([24, 25, 24]);
    expect(axis.keyOf(iso('2025-11-02T03:30:00Z'))).toBe('2025-11-01'); // 23:30 EDT
    expect(axis.resolution).toBe(60);
  });

  it('interval 1d gives one bucket per local day: 24, 23, 24 hours around 2025-03-09 in New York', () => {
    const from = iso('2025-03-08T05:00:00Z');
    const to = iso('2025-03-11T04:00:00Z');
    const axis = timeAxis('time', '1d', from, to, NY);
    expect(axis.field()).toEqual({
      name: 'time',
      type: 'time',
      values: [iso('2025-03-08T05:00:00Z'), iso('2025-03-09T05:00:00Z'), iso('2025-03-10T04:00:00Z')],
    });
    expect(lengths(axis.segments())).toEqual([24, 23, 24]);
  });

  it('date in Kolkata starts at 18:30 UTC and uses 15-minute rollups', () => {
    const axis = timeAxis('date', undefined, iso('2025-06-01T18:30:00Z'), iso('2025-06-03T18:30:00Z'), KOLKATA);
    expect(axis.keys).toEqual(['2025-06-02', '2025-06-03']);
    expect(axis.resolution).toBe(15);
  });

  it('date in America/Santiago over its midnight DST change lists each local date once', () => {
    const axis = timeAxis('date', undefined, iso('2025-09-06T04:00:00Z'), iso('2025-09-08T03:00:00Z'), new Zone('America/Santiago'));
    expect(axis.keys).toEqual(['2025-09-06', '2025-09-07']);
    expect(lengths(axis.segments())).toEqual([24, 23]);
  });
});

describe('timeAxis: fixed intervals', () => {
  const from = iso('2025-06-02T09:00:00Z');
  const to = iso('2025-06-02T11:00:00Z');

  it('15m gives 8 aligned buckets over two hours, 15-minute rollups', () => {
    const axis = timeAxis('time', '15m', from, to, UTC);
    expect(axis.keys).toHaveLength(8);
    expect(axis.field().values[1]).toBe(from + 15 * 60_000);
    expect(axis.resolution).toBe(15);
  });

  it('1h uses hourly rollups; 7m has no rollup that fits and reads raw samples', () => {
    expect(timeAxis('time', '1h', from, to, UTC).resolution).toBe(60);
    expect(timeAxis('time', '7m', from, to, UTC).resolution).toBeNull();
  });

  it('starts the first bucket at the interval boundary before `from` and clips its segment to `from`', () => {
    const axis = timeAxis('time', '1h', from + 20 * 60_000, to, UTC);
    expect(axis.field().values).toEqual([from, from + HOUR]);
    expect(axis.segments()[0]).toMatchObject({ start: from + 20 * 60_000, end: from + HOUR });
  });

  it('refuses an interval that is not a duration, naming it', () => {
    expect(() => timeAxis('time', 'fortnightly', from, to, UTC)).toThrow(InputError);
    expect(() => timeAxis('time', 'fortnightly', from, to, UTC)).toThrow(/interval/);
  });

  it(`refuses more than ${MAX_BUCKETS} buckets`, () => {
    expect(() => timeAxis('time', '1s', from, from + 24 * HOUR, UTC)).toThrow(/interval 1s gives more than/);
  });
});
