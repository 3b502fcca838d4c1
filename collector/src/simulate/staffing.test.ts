// The demo's contact center looks like a real floor: staffed to its forecast on every day of the
// week, it meets its service level most of the time, with short breaches at busy hours. Checked
// from the simulator's own tally (ground truth), over one week of the default center.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSla, serviceLevelSeconds } from '@floorboard/contract/sla';
import { buildCenter } from './model';
import { agentsNeeded, arrivalsForStaff, planShifts } from './staffing';
import { createTally, emptyCounts, serviceLevelPercent, TALLY_FIELDS, type TallyCounts } from './tally';
import { Simulation } from './engine';
import { Zone } from './zone';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** A Monday, 00:00 in Europe/London (UTC+0 in November). */
const MONDAY = Date.parse('2026-11-16T00:00:00Z');
/** The SLA file the demo reads (`./sla.yaml`): Sales answers within 30 s, the others within 20 s. */
const SLA = loadSla(join(__dirname, '..', '..', '..', 'sla.yaml'));
const BREACH = SLA.thresholds.service_level!.breach;

// The default demo center (seed 1, 40 agents, Europe/London), from the Sunday before so the week
// starts with the night crew on the floor; every fact counted per local hour of the week.
const zone = new Zone('Europe/London');
const tally = createTally(
  SLA.shortAbandonSeconds,
  (queue) => serviceLevelSeconds(SLA, queue),
  (at) => Math.floor((zone.local(at) - MONDAY) / HOUR),
);
for (const event of new Simulation({ seed: 1, start: MONDAY - DAY, end: MONDAY + 7 * DAY }, tally).events()) void event;

function sum(parts: TallyCounts[]): TallyCounts {
  const out = emptyCounts();
  for (const p of parts) for (const f of TALLY_FIELDS) out[f] += p[f];
  return out;
}
const hour = (day: number, h: number): TallyCounts => tally.buckets.get(day * 24 + h) ?? emptyCounts();
const daily = WEEKDAYS.map((_, day) => sum(Array.from({ length: 24 }, (_, h) => hour(day, h))));

describe('the demo center over a week (simulator tally)', () => {
  it('meets its service level on every day of the week: daily 70–95 %', () => {
    const levels = Object.fromEntries(WEEKDAYS.map((name, day) => [name, Math.round(serviceLevelPercent(daily[day]!)!)]));
    for (const [name, level] of Object.entries(levels)) {
      expect(level, `${name}: ${JSON.stringify(levels)}`).toBeGreaterThanOrEqual(70);
      expect(level, `${name}: ${JSON.stringify(levels)}`).toBeLessThanOrEqual(95);
    }
  });

  it('is staffed for the lower weekend volume, so weekends answer as weekdays do', () => {
    const center = buildCenter();
    const working = (day: number) => center.agents.filter((a) => a.shift.days.includes(day)).length;
    const busiest = Math.max(...[0, 1, 2, 3, 4].map(working));
    // Saturday's traffic is 45 % of Monday's, Sunday's 30 % (DEFAULT_BEHAVIOUR.weekday).
    expect(working(5)).toBeLessThan(busiest * 0.7);
    expect(working(6)).toBeLessThan(working(5));
    expect(working(6)).toBeGreaterThanOrEqual(4);
    const weekday = serviceLevelPercent(sum(daily.slice(0, 5)))!;
    for (const day of [5, 6]) expect(Math.abs(serviceLevelPercent(daily[day]!)! - weekday)).toBeLessThan(10);
    expect(daily[5]!.tasksCreated).toBeLessThan(daily[0]!.tasksCreated * 0.6);
  });

  it('breaches at some busy hours, never for long: at most 4 opening hours in a row, under a third of them', () => {
    let breachHours = 0;
    for (let day = 0; day < 7; day++) {
      let run = 0;
      // Opening hours 08:00–20:00, where an hour has enough customers for its percentage to mean something.
      for (let h = 8; h < 20; h++) {
        const level = serviceLevelPercent(hour(day, h));
        run = level !== null && level < BREACH ? run + 1 : 0;
        if (run > 0) breachHours++;
        expect(run, `${WEEKDAYS[day]} ${h}:00`).toBeLessThanOrEqual(4);
      }
    }
    expect(breachHours).toBeGreaterThan(0);
    expect(breachHours).toBeLessThan(7 * 12 * 0.3);
  });
});

describe('staffing plan', () => {
  it('follows the need hour by hour, for any head count', () => {
    const center = buildCenter();
    for (const agents of [20, 40, 150]) {
      const needed = agentsNeeded(center.behaviour, arrivalsForStaff(center.behaviour, agents));
      const shifts = planShifts(needed, agents, center.behaviour.pauses);
      expect(shifts).toHaveLength(agents);
      const onShift = (day: number, h: number) =>
        shifts.filter((s) => s.days.includes(day) && s.startHour <= h && h + 1 <= s.endHour).length;
      // At Monday's 10:00 peak several times more agents than at 03:00, and fewer on Sunday's peak.
      expect(onShift(0, 10)).toBeGreaterThan(needed[0]![10]! * 0.8);
      expect(onShift(6, 10)).toBeLessThan(onShift(0, 10));
      expect(onShift(0, 10)).toBeGreaterThan(onShift(0, 20) * 1.5);
    }
  });

  it('gives bigger floors more traffic per agent: they pool better', () => {
    const b = buildCenter().behaviour;
    expect(arrivalsForStaff(b, 200) / 200).toBeGreaterThan(arrivalsForStaff(b, 20) / 20);
  });
});
