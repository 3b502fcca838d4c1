// `npx floorboard quarantine list|replay`: the built CLI's help, and both ways of running it —
// against a stopped collector's database file, and through a running collector (--url) — on a
// quarantine that holds an event the current parser can read (kept by an older version), one it
// still can't, and one whose event has meanwhile been delivered again.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runQuarantineCommand } from '../collector/src/commands/quarantine';
import { postBatchBody, removeDir, startTestCollector, tempDir, type TestCollector } from '../collector/src/test-helpers/harness';
import { CLOUD_EVENTS } from '../collector/src/test-helpers/twilio-docs/event-streams';
import { ev } from '../collector/src/test-helpers/twilio-docs/scenario';

const CLI = join(__dirname, '..', 'collector', 'dist', 'cli.js');
const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

const capture = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
};

/** A collector whose quarantine holds: a readable event (kept by an older version), an unreadable one, and a duplicate of a stored one. */
async function withQuarantine(): Promise<TestCollector> {
  const c = await startTestCollector();
  cleanups.push(() => c.dispose());
  const unreadable = {
    type: 'com.twilio.taskrouter.task.created',
    data: { payload: { sid: ev(90), eventtype: 'task.created', timestamp: 'soon' } },
  };
  const res = await postBatchBody(c.url, JSON.stringify([CLOUD_EVENTS[3], unreadable]));
  expect(await res.json()).toMatchObject({ stored: 1, quarantined: 1 });
  c.ingest.storeNow(
    [],
    [
      {
        transport: 'event-streams',
        reason: 'Timestamp must be a number (an older version)',
        eventSid: ev(6),
        body: JSON.stringify(CLOUD_EVENTS[5]),
      },
      {
        transport: 'event-streams',
        reason: 'Timestamp must be a number (an older version)',
        eventSid: ev(4),
        body: JSON.stringify(CLOUD_EVENTS[3]),
      },
    ],
  );
  return c;
}

describe('npx floorboard quarantine', () => {
  it('documents list and replay in --help', async () => {
    const top = (await run(process.execPath, [CLI, 'quarantine', '--help'])).stdout;
    expect(top).toMatch(/list \[options\]\s+show the quarantined events/);
    expect(top).toMatch(/replay \[options\]\s+re-read the quarantined events/);
    const replay = (await run(process.execPath, [CLI, 'quarantine', 'replay', '--help'])).stdout;
    expect(replay).toContain('--url <collector>');
    expect(replay).toContain('Exit status: 0 nothing left waiting, 1 some events still cannot be read');
  });

  it('lists and replays through a running collector (--url), storing each readable event once', async () => {
    const c = await withQuarantine();
    const out = capture();
    expect(await runQuarantineCommand('list', { url: c.url }, {}, out.stream, capture().stream)).toBe(0);
    const lines = out.text().trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+received\s+transport\s+event sid\s+reason$/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(new RegExp(`event-streams\\s+${ev(90)}\\s+event \\[1\\]: Timestamp is not a time \\(got "soon"\\)`));
    expect(lines.at(-1)).toBe('3 waiting');

    const replayed = capture();
    expect(await runQuarantineCommand('replay', { url: c.url }, {}, replayed.stream, capture().stream)).toBe(1);
    expect(replayed.text()).toBe('quarantine replay: 3 checked, 1 stored, 1 already stored, 0 not TaskRouter events, 1 still unreadable\n');
    expect(c.db.prepare('SELECT count(*) FROM events WHERE sid IN (?, ?)').pluck().get(ev(4), ev(6))).toBe(2);

    const json = capture();
    expect(await runQuarantineCommand('list', { url: c.url, all: true, json: true }, {}, json.stream, capture().stream)).toBe(0);
    const list = JSON.parse(json.text()) as { waiting: number; events: { eventSid: string; replayResult: string | null }[] };
    expect(list.waiting).toBe(1);
    expect(list.events.map((e) => [e.eventSid, e.replayResult])).toEqual([
      [ev(90), null],
      [ev(6), `read as ${ev(6)}`],
      [ev(4), `read as ${ev(4)}`],
    ]);
  });

  it('works on the database file of a stopped collector, and says so in one line when it cannot', async () => {
    const c = await withQuarantine();
    const env = { FLOORBOARD_DB: c.cfg.dbPath, FLOORBOARD_SLA: c.cfg.slaPath };
    await c.stop();
    const out = capture();
    expect(await runQuarantineCommand('replay', {}, env, out.stream, capture().stream)).toBe(1);
    expect(out.text()).toMatch(/^quarantine replay: 3 checked, 1 stored, 1 already stored/);
    const again = capture();
    expect(await runQuarantineCommand('replay', {}, env, again.stream, capture().stream)).toBe(1);
    expect(again.text()).toMatch(/^quarantine replay: 1 checked, 0 stored, 0 already stored, 0 not TaskRouter events, 1 still unreadable/);
    const dir = tempDir();
    cleanups.push(() => removeDir(dir));
    const err = capture();
    expect(
      await runQuarantineCommand(
        'list',
        {},
        { FLOORBOARD_DB: join(dir, 'x.db'), FLOORBOARD_TZ: 'Mars/Olympus' },
        capture().stream,
        err.stream,
      ),
    ).toBe(78);
    expect(err.text()).toMatch(/^floorboard: FLOORBOARD_TZ must be an IANA time zone/);
    const down = capture();
    expect(await runQuarantineCommand('list', { url: 'http://127.0.0.1:9' }, {}, capture().stream, down.stream)).toBe(2);
    expect(down.text().trim().split('\n')).toHaveLength(1);
    expect(down.text()).toMatch(/^floorboard: quarantine list failed: /);
  });
});
