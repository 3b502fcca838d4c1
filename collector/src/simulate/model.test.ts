import { describe, expect, it } from 'vitest';
import { buildCenter, compileExpression } from './model';
import type { WorkerAttributes } from './model';
import { Zone } from './zone';

const attrs = (skills: string[], languages: string[]): WorkerAttributes => ({ skills, languages, contact_uri: 'client:x' });

describe('target expressions', () => {
  it('matches HAS over arrays and 1==1', () => {
    expect(compileExpression('skills HAS "sales"')(attrs(['sales', 'billing'], ['en']))).toBe(true);
    expect(compileExpression('skills HAS "sales"')(attrs(['support'], ['en']))).toBe(false);
    expect(compileExpression('languages HAS "es"')(attrs([], ['en', 'es']))).toBe(true);
    expect(compileExpression('1==1')(attrs([], []))).toBe(true);
  });

  it("routes with TaskRouter's full expression language, and names a broken expression", () => {
    const senior = { ...attrs(['support'], ['en']), level: 4 } as WorkerAttributes;
    expect(compileExpression('skills HAS "sales" OR level > 3')(senior)).toBe(true);
    expect(compileExpression('skills HAS "sales" AND languages HAS "en"')(senior)).toBe(false);
    expect(() => compileExpression('skills HAS (')).toThrow(/bad target expression "skills HAS \("/);
  });
});

describe('buildCenter', () => {
  const center = buildCenter();

  it('has the five activities with their availability and Twilio-shaped sids', () => {
    expect(center.activities.map((a) => [a.name, a.available])).toEqual([
      ['Offline', false],
      ['Available', true],
      ['Break', false],
      ['Lunch', false],
      ['Training', false],
    ]);
    for (const a of center.activities) expect(a.sid).toMatch(/^WA[0-9a-f]{32}$/);
    expect(center.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(center.workspaceSid).toMatch(/^WS[0-9a-f]{32}$/);
    expect(center.workflowSid).toMatch(/^WW[0-9a-f]{32}$/);
    for (const q of center.queues) expect(q.sid).toMatch(/^WQ[0-9a-f]{32}$/);
  });

  it('has skill, language and overflow queues, each staffed by someone', () => {
    expect(center.queues.map((q) => `${q.name}: ${q.targetExpression}`)).toEqual([
      'Sales: skills HAS "sales"',
      'Support: skills HAS "support"',
      'Billing: skills HAS "billing"',
      'Spanish: languages HAS "es"',
      'Everyone: 1==1',
    ]);
    expect(center.overflow.name).toBe('Everyone');
    for (const q of center.queues) expect(center.agents.some((a) => (a.queueMask & q.bit) !== 0)).toBe(true);
  });

  it('has 40 distinct agents with TaskRouter worker attributes and shifts', () => {
    expect(center.agents).toHaveLength(40);
    expect(new Set(center.agents.map((a) => a.name)).size).toBe(40);
    expect(new Set(center.agents.map((a) => a.sid)).size).toBe(40);
    for (const a of center.agents) {
      expect(a.sid).toMatch(/^WK[0-9a-f]{32}$/);
      const parsed = JSON.parse(a.attributesJson) as WorkerAttributes;
      expect(parsed.skills.length).toBeGreaterThan(0);
      expect(parsed.languages).toContain('en');
      expect(parsed.contact_uri).toMatch(/^client:/);
      expect(a.shift.endHour).toBeGreaterThan(a.shift.startHour);
      expect(a.shift.days.length).toBe(5);
    }
  });

  it('describes the same workspace whatever the traffic, and scales to 300+ agents', () => {
    expect(buildCenter().agents.map((a) => a.sid)).toEqual(center.agents.map((a) => a.sid));
    const big = buildCenter({ agents: 320 });
    expect(new Set(big.agents.map((a) => a.name)).size).toBe(320);
    // Traffic is what the head count can serve at the service level; bigger floors pool better.
    expect(big.arrivalsPerHour / 320).toBeGreaterThan(center.arrivalsPerHour / 40);
    expect(buildCenter({ agents: 320, arrivalsPerHour: 1280 }).arrivalsPerHour).toBe(1280);
    expect(buildCenter({ centerSeed: 2 }).workspaceSid).not.toBe(center.workspaceSid);
  });

  it('rejects a bad time zone or overflow queue with a clear message', () => {
    expect(() => buildCenter({ timezone: 'Mars/Olympus' })).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() => buildCenter({ overflowQueue: 'Nowhere' })).toThrow(/overflow queue "Nowhere"/);
  });
});

describe('Zone', () => {
  it('reads local hours and weekdays across a DST change', () => {
    const london = new Zone('Europe/London');
    // 2026-03-29 is the spring-forward Sunday: 07:00 local is 07:00Z before, 06:00Z on Monday.
    expect(new Date(london.toEpoch(Date.UTC(2026, 2, 28, 7))).toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(new Date(london.toEpoch(Date.UTC(2026, 2, 30, 7))).toISOString()).toBe('2026-03-30T06:00:00.000Z');
    expect(london.hourOfDay(Date.parse('2026-07-01T09:30:00Z'))).toBeCloseTo(10.5);
    expect(london.weekday(Date.parse('2026-11-16T12:00:00Z'))).toBe(0); // Monday
    const kolkata = new Zone('Asia/Kolkata');
    expect(kolkata.hourOfDay(Date.parse('2026-01-01T00:00:00Z'))).toBeCloseTo(5.5);
  });
});
