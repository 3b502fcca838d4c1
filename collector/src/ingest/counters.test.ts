// Ingest counters: unreadable optional fields are counted every time and logged once per field
// name; other products' CloudEvent types are counted by name, with a bounded number of names.
import { describe, expect, it } from 'vitest';
import { IngestCounters } from './counters';

describe('IngestCounters', () => {
  it('logs an unreadable optional field once per field name, and counts every occurrence', () => {
    const warnings: { obj: unknown; msg: string }[] = [];
    const counters = new IngestCounters({ warn: (obj: unknown, msg?: string) => void warnings.push({ obj, msg: msg ?? '' }) } as never);
    counters.issues([{ field: 'TaskAge', message: 'TaskAge must be a number between 0 and 315360000 (got "abc")' }], 'EV1');
    counters.issues(
      [
        { field: 'TaskAge', message: 'TaskAge must be a number between 0 and 315360000 (got "x")' },
        { field: 'WorkerAvailable', message: 'WorkerAvailable must be true or false (got "maybe")' },
      ],
      'EV2',
    );
    counters.issues([{ field: 'TaskAge', message: 'TaskAge …' }], 'EV3');
    expect(Object.fromEntries(counters.fieldIssues)).toEqual({ TaskAge: 3, WorkerAvailable: 1 });
    expect(warnings.map((w) => w.obj)).toEqual([
      { field: 'TaskAge', sid: 'EV1' },
      { field: 'WorkerAvailable', sid: 'EV2' },
    ]);
    expect(warnings[0]!.msg).toMatch(
      /^TaskAge must be a number .*: the event is stored, the value kept as received and left out of metrics/,
    );
  });

  it('counts ignored CloudEvents per type, at most 50 names (the rest as "other")', () => {
    const counters = new IngestCounters();
    counters.ignore('com.twilio.eventstreams.test-event');
    counters.ignore('com.twilio.eventstreams.test-event');
    for (let i = 0; i < 60; i++) counters.ignore(`com.example.type-${i}`);
    expect(counters.ignored.get('com.twilio.eventstreams.test-event')).toBe(2);
    expect(counters.ignored.size).toBe(51);
    expect(counters.ignored.get('other')).toBe(11);
  });
});
