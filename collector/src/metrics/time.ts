// Time-zone arithmetic for buckets: local date, weekday and hour of an instant in an IANA zone,
// local midnights, and interval strings. Offsets are cached per UTC day, so mapping thousands of
// buckets costs a handful of Intl calls.

const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

const formatters = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

function exactOffset(tz: string, ms: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Offset function for one zone: local = utc + offset(utc). Cached per UTC day. */
export class Zone {
  private readonly days = new Map<number, number | null>();
  constructor(readonly tz: string) {
    formatter(tz);
  }

  offset(ms: number): number {
    const day = Math.floor(ms / DAY);
    let o = this.days.get(day);
    if (o === undefined) {
      const a = exactOffset(this.tz, day * DAY);
      const b = exactOffset(this.tz, (day + 1) * DAY - 1);
      o = a === b ? a : null;
      this.days.set(day, o);
    }
    return o ?? exactOffset(this.tz, ms);
  }

  /** Local wall-clock fields of an instant, read from a shifted Date's UTC getters. */
  local(ms: number): Date {
    return new Date(ms + this.offset(ms));
  }

  /** 0 = Monday … 6 = Sunday. */
  weekday(ms: number): number {
    return (this.local(ms).getUTCDay() + 6) % 7;
  }

  hour(ms: number): number {
    return this.local(ms).getUTCHours();
  }

  /** The instant of local midnight starting the day that contains `ms`. */
  startOfDay(ms: number): number {
    const l = this.local(ms);
    const localMidnight = Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate());
    return this.fromLocal(localMidnight);
  }

  /** Next local midnight after the day containing `ms` (23, 24 or 25 hours later). */
  nextDay(ms: number): number {
    const l = this.local(this.startOfDay(ms));
    const next = this.fromLocal(Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate() + 1));
    // Never stand still: a step that isn't strictly later would loop the callers forever.
    return next > ms ? next : Math.floor(ms / HOUR) * HOUR + HOUR;
  }

  /** Local wall time (as a UTC-read number) -> instant; in a DST gap, the instant the clocks jump. */
  fromLocal(localMs: number): number {
    let guess = localMs - this.offset(localMs);
    guess = localMs - this.offset(guess);
    if (guess + this.offset(guess) === localMs) return guess;
    // The wall time doesn't exist (clocks jumped over it, e.g. a midnight DST start): the day
    // starts when the clocks jump, which is the later of the two readings either side of the gap.
    return Math.max(localMs - this.offset(localMs - 12 * HOUR), localMs - this.offset(localMs + 12 * HOUR));
  }

  /** Whether every offset in [from, to] is a whole number of hours (so hourly rollups align). */
  wholeHours(from: number, to: number): boolean {
    for (let d = Math.floor(from / DAY); d <= Math.floor(to / DAY); d++) {
      for (const ms of [d * DAY, (d + 1) * DAY - 1]) if (this.offset(ms) % HOUR !== 0) return false;
    }
    return true;
  }

  /** `YYYY-MM-DD` of the local day. */
  dateLabel(ms: number): string {
    return this.local(ms).toISOString().slice(0, 10);
  }
}

const INTERVAL = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS = { ms: 1, s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY } as const;

/** `30s`, `5m`, `1h`, `1d` -> milliseconds; null when not an interval. */
export function parseInterval(text: string): number | null {
  const m = INTERVAL.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Number.isFinite(ms) && ms >= 1000 ? Math.round(ms) : null;
}
