// Wall-clock time in the contact center's IANA time zone: hour of day, weekday and local
// midnights, with the zone offset cached per quarter hour so the simulator's hot path stays cheap.

const QUARTER_HOUR_MS = 900_000;
const DAY_MS = 86_400_000;

export class Zone {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(readonly name: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone "${name}" (use an IANA name such as Europe/London)`);
    }
  }

  /** Milliseconds to add to an epoch time to read the zone's wall clock as if it were UTC. */
  offsetAt(ms: number): number {
    const bucket = Math.floor(ms / QUARTER_HOUR_MS);
    const cached = this.offsets.get(bucket);
    if (cached !== undefined) return cached;
    const at = bucket * QUARTER_HOUR_MS;
    const parts: Record<string, number> = {};
    for (const p of this.format.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    const offset = wall - at;
    if (this.offsets.size > 100_000) this.offsets.clear();
    this.offsets.set(bucket, offset);
    return offset;
  }

  /** The zone's wall clock at `ms`, as milliseconds since 1970-01-01T00:00 local. */
  local(ms: number): number {
    return ms + this.offsetAt(ms);
  }

  /** Epoch milliseconds of a local wall-clock time (in a DST gap: the instant just after it). */
  toEpoch(localMs: number): number {
    const guess = localMs - this.offsetAt(localMs);
    return localMs - this.offsetAt(guess);
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
