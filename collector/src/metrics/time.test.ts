// Zone arithmetic: local midnights (23- and 25-hour days), weekday and hour of an instant in a
// zone, half-hour zones, and interval strings.
import { describe, expect, it } from 'vitest';
import { HOUR, isTimeZone, parseInterval, Zone } from './time';

const iso = (s: string) => Date.parse(s);
const hours = (ms: number) => ms / HOUR;

describe('Zone: America/New_York across DST', () => {
  const ny = new Zone('America/New_York');

  it('makes 2025-03-09 (spring forward) a 23-hour day and 2025-11-02 (fall back) a 25-hour day', () => {
    const mar9 = ny.startOfDay(iso('2025-03-09T15:00:00Z'));
    expect(mar9).toBe(iso('2025-03-09T05:00:00Z')); // midnight EST
    expect(hours(ny.nextDay(mar9) - mar9)).toBe(23);
    const nov2 = ny.startOfDay(iso('2025-11-02T15:00:00Z'));
    expect(nov2).toBe(iso('2025-11-02T04:00:00Z')); // midnight EDT
    expect(hours(ny.nextDay(nov2) - nov2)).toBe(25);
    const nov3 = ny.nextDay(nov2);
    expect(hours(ny.nextDay(nov3) - nov3)).toBe(24);
  });

  it('reads 01:30 twice on 2025-11-02 (EDT then EST), both hour 01 of a Sunday', () => {
    for (const t of ['2025-11-02T05:30:00Z', '2025-11-02T06:30:00Z']) {
      expect(ny.hour(iso(t))).toBe(1);
      expect(ny.weekday(iso(t))).toBe(6); // Sunday
      expect(ny.dateLabel(iso(t))).toBe('2025-11-02');
    }
    expect(ny.hour(iso('2025-11-02T07:30:00Z'))).toBe(2);
  });

  it('skips 02:xx on 2025-03-09: 01:59 EST is followed by 03:00 EDT', () => {
    expect(ny.hour(iso('2025-03-09T06:59:00Z'))).toBe(1);
    expect(ny.hour(iso('2025-03-09T07:00:00Z'))).toBe(3);
  });

  it('puts 23:30 local on the local date, not the UTC one', () => {
    expect(ny.dateLabel(iso('2025-11-02T03:30:00Z'))).toBe('2025-11-01'); // Saturday 23:30 EDT
    expect(ny.weekday(iso('2025-11-02T03:30:00Z'))).toBe(5);
  });
});

describe('Zone: Europe/London', () => {
  const london = new Zone('Europe/London');
  it('has a 23-hour 2025-03-30 and a 25-hour 2025-10-26', () => {
    const mar30 = london.startOfDay(iso('2025-03-30T12:00:00Z'));
    expect(mar30).toBe(iso('2025-03-30T00:00:00Z'));
    expect(hours(london.nextDay(mar30) - mar30)).toBe(23);
    const oct26 = london.startOfDay(iso('2025-10-26T12:00:00Z'));
    expect(oct26).toBe(iso('2025-10-25T23:00:00Z')); // midnight BST
    expect(hours(london.nextDay(oct26) - oct26)).toBe(25);
  });
});

describe('Zone: Asia/Kolkata (UTC+05:30)', () => {
  const kolkata = new Zone('Asia/Kolkata');
  it('changes local hour at half past the UTC hour', () => {
    expect(kolkata.hour(iso('2025-06-02T10:15:00Z'))).toBe(15); // 15:45 IST
    expect(kolkata.hour(iso('2025-06-02T10:35:00Z'))).toBe(16); // 16:05 IST
  });
  it('starts its day at 18:30 UTC and is not whole-hour aligned (so hourly rollups cannot be used)', () => {
    expect(kolkata.startOfDay(iso('2025-06-02T10:00:00Z'))).toBe(iso('2025-06-01T18:30:00Z'));
    expect(kolkata.wholeHours(iso('2025-06-01T00:00:00Z'), iso('2025-06-03T00:00:00Z'))).toBe(false);
    expect(new Zone('America/New_York').wholeHours(iso('2025-11-01T00:00:00Z'), iso('2025-11-04T00:00:00Z'))).toBe(true);
  });
});

describe('Zone: DST changes at midnight', () => {
  // America/Santiago springs forward at 24:00 on 2025-09-06 (local 2025-09-07 starts at 01:00 -03);
  // America/Havana at 00:00 on 2025-03-09. Local midnight does not exist on those days.
  it.each([
    ['America/Santiago', '2025-09-06T16:00:00Z', '2025-09-07'],
    ['America/Havana', '2025-03-08T17:00:00Z', '2025-03-09'],
  ])('%s: the day after %s is the next local date (%s), starting later', (tz, noon, nextDate) => {
    const zone = new Zone(tz);
    const day = zone.startOfDay(iso(noon));
    const next = zone.nextDay(day);
    expect(next).toBeGreaterThan(iso(noon));
    expect(zone.dateLabel(next)).toBe(nextDate);
    expect(hours(zone.nextDay(next) - next)).toBe(23); // the short day
  });
});

describe('parseInterval / isTimeZone', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1000ms', 1000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });
  it.each(['', 'h', '1 hour', '-1h', '0m', '500ms', '1y', '1H'])('refuses %j', (text) => {
    expect(parseInterval(text)).toBeNull();
  });
  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
