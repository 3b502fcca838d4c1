// The compact log's encodings are exact: a Sid's stored key (in code and in SQL) spells the same
// Sid again, a description template and a leftover-field template give back the very text and
// values received — whatever the text holds, including the characters the templates use as marks.
import Database from 'better-sqlite3';
import { describe as suite, expect, it } from 'vitest';
import { eventSidKey, eventSidText, sidKey, sidText, SQL_EVENT_SID_TEXT, SQL_SID_KEY, SQL_SID_TEXT } from './dictionary';
import { describe, describeTemplate, restOf, restTemplate } from './event-codec';
import type { LoggedRecord } from './events';

const HEX = '0123456789abcdef'.repeat(2);
const SIDS = [
  'WT' + HEX,
  'EV' + HEX,
  'WT' + HEX.toUpperCase(),
  'WT' + HEX.slice(1),
  'wt' + HEX,
  'WT' + HEX + '0',
  'X1',
  'WT-custom_sid',
  'ÄB' + HEX.slice(2),
];

suite('Sid keys', () => {
  const db = new Database(':memory:');
  it('are 18 bytes for a canonical Sid, the text otherwise, and the same in SQL as in code', () => {
    expect((sidKey('WT' + HEX) as Buffer).length).toBe(18);
    expect((eventSidKey('EV' + HEX) as Buffer).length).toBe(16);
    for (const sid of SIDS) {
      expect(sidText(sidKey(sid))).toBe(sid);
      expect(eventSidText(eventSidKey(sid))).toBe(sid);
      const sqlKey = db.prepare(`WITH x(v) AS (SELECT ?) SELECT ${SQL_SID_KEY('x.v')} AS k FROM x`).get(sid) as { k: Buffer | string };
      expect(sqlKey.k, sid).toEqual(sidKey(sid));
      expect(
        db
          .prepare(`WITH x(v) AS (SELECT ?) SELECT ${SQL_SID_TEXT('x.v')} FROM x`)
          .pluck()
          .get(sidKey(sid)),
        sid,
      ).toBe(sid);
      expect(
        db
          .prepare(`WITH x(v) AS (SELECT ?) SELECT ${SQL_EVENT_SID_TEXT('x.v')} FROM x`)
          .pluck()
          .get(eventSidKey(sid)),
        sid,
      ).toBe(sid);
    }
  });
});

const rec = {
  sid: 'EV' + HEX,
  eventMs: 1_795_621_139_905,
  taskSid: 'WT' + HEX,
  reservationSid: 'WR' + HEX,
  workerName: 'Ann',
  queueName: 'Sales',
  taskAge: 2,
  taskPriority: 0,
  queueEnteredMs: 1_795_621_137_340,
  taskCreatedMs: null,
  taskAgeInQueue: 2.5,
  workerTimeInPreviousActivityMs: 5000,
  workerAvailable: true,
  activityAvailable: null,
} as unknown as LoggedRecord;

suite('description templates', () => {
  it('name the event’s Sids and names, and spell the text again', () => {
    const text = `Reservation ${rec.reservationSid} for Task ${rec.taskSid} and Worker Ann accepted (Ann, Sales)`;
    const t = describeTemplate(text, rec)!;
    expect(t).not.toContain(rec.taskSid);
    expect(t).not.toContain('Ann');
    expect(describe(t, rec)).toBe(text);
  });
  it('keep a text that holds the mark as it is, and one that names nothing', () => {
    expect(describeTemplate('Task \u0001a was odd', rec)).toBeNull();
    expect(describeTemplate('Nothing to see', rec)).toBe('Nothing to see');
  });
});

suite('leftover-field templates', () => {
  it('replace only exact renderings of a column, and spell every value again', () => {
    const rest = {
      TimestampMs: String(rec.eventMs),
      Timestamp: String(Math.floor(rec.eventMs / 1000)),
      EventDate: new Date(rec.eventMs).toISOString(),
      TaskAge: 2,
      TaskPriority: '0',
      TaskQueueEnteredDate: new Date(rec.queueEnteredMs!).toISOString(),
      TaskDateCreated: '2026-11-25T15:38:57Z', // no column holds it (taskCreatedMs is null)
      TaskAgeInQueue: 2.5,
      WorkerTimeInPreviousActivity: '5',
      WorkerAvailable: true,
      WorkspaceName: 'Floor One',
      Marked: '\u0000ms.n',
      Nothing: null,
      Other: '1795621139905',
    };
    const t = restTemplate(rest, rec)!;
    expect(t).not.toContain(String(rec.eventMs).slice(0, 10));
    expect(restOf(t, rec)).toEqual(rest);
    // The same fields of another event share the template.
    const later = { ...rec, eventMs: rec.eventMs + 1000, queueEnteredMs: rec.queueEnteredMs! + 1000 };
    const laterRest = {
      ...rest,
      TimestampMs: String(later.eventMs),
      Timestamp: String(Math.floor(later.eventMs / 1000)),
      EventDate: new Date(later.eventMs).toISOString(),
      TaskQueueEnteredDate: new Date(later.queueEnteredMs).toISOString(),
      Other: String(later.eventMs),
    };
    expect(restTemplate(laterRest, later)).toBe(t);
    expect(restTemplate({}, rec)).toBeNull();
    // Fields named like Object's own keys stay ordinary fields.
    const odd = JSON.parse('{"__proto__":"x","constructor":"1795621139905","toString":2}') as Record<string, string | number>;
    const back = restOf(restTemplate(odd, rec), rec);
    expect(Object.keys(back)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(JSON.stringify(back)).toBe(JSON.stringify(odd));
  });
});
