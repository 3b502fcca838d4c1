// The simulator's view of the contact center's time zone — local hour of day, weekday and
// midnights as plain numbers — over the collector's own Zone (metrics/time.ts), so both read
// offsets and DST the same way.
import { isTimeZone, Zone as TimeZone } from '../metrics/time';

const DAY_MS = 86_400_000;

export class Zone {
  private readonly zone: TimeZone;

  constructor(readonly name: string) {
    if (!isTimeZone(name)) throw new RangeError(`unknown time zone "${name}" (use an IANA name such as Europe/London)`);
    this.zone = new TimeZone(name);
  }

  /** Milliseconds to add to an epoch time to read the zone's wall clock as if it were UTC. */
  offsetAt(ms: number): number {
    return this.zone.offset(ms);
  }

  /** The zone's wall clock at `ms`, as milliseconds since 1970-01-01T00:00 local. */
  local(ms: number): number {
    return ms + this.zone.offset(ms);
  }

  /** Epoch milliseconds of a local wall-clock time (in a DST gap: the instant the clocks jump). */
  toEpoch(localMs: number): number {
    return this.zone.fromLocal(localMs);
  }

  /** Local hour of day as a fraction, 0 ≤ h < 24. */
  hourOfDay(ms: number): number {
    const local = this.local(ms);
    return (((local % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  }

  /** Local weekday, 0 = Monday … 6 = Sunday. */
  weekday(ms: number): number {
    return weekdayOfLocalDay(Math.floor(this.local(ms) / DAY_MS));
  }

  /** Local midnight (as local ms) of the day containing epoch `ms`. */
  localMidnight(ms: number): number {
    return Math.floor(this.local(ms) / DAY_MS) * DAY_MS;
  }
}

/** Weekday (0 = Monday) of a day counted from 1970-01-01, which was a Thursday. */
export function weekdayOfLocalDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}
