import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SLA, drillDownAttributes, loadSlaFile, parseSla, serviceLevelAbandons, serviceLevelSeconds, SlaError } from './sla';

const dir = mkdtempSync(join(tmpdir(), 'floorboard-sla-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadSlaFile', () => {
  it('reads the file it is given and says which', () => {
    const path = join(dir, 'sla.yaml');
    writeFileSync(path, 'serviceLevelSeconds: 30\n');
    expect(loadSlaFile(path, true)).toMatchObject({ path, sla: { serviceLevelSeconds: 30 } });
  });

  it('refuses a file named in FLOORBOARD_SLA that does not exist, in one line naming both', () => {
    const missing = join(dir, 'typo.yaml');
    expect(() => loadSlaFile(missing, true)).toThrow(SlaError);
    expect(() => loadSlaFile(missing, true)).toThrow(`FLOORBOARD_SLA: no file at ${missing}`);
  });

  it('falls back to the built-in defaults when the default path is missing', () => {
    expect(loadSlaFile(join(dir, 'nothing-here.yaml'), false)).toEqual({ sla: DEFAULT_SLA, path: null });
  });

  it('names the file and the key of an invalid file, explicit or not', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'thresholds: { service_level: { warn: 70, breach: 80 } }\n');
    for (const explicit of [true, false])
      expect(() => loadSlaFile(path, explicit)).toThrow(`${path}: thresholds.service_level: warn must be >= breach`);
  });
});

describe('drillDownAttributes', () => {
  it('shows no task attribute unless the file lists it; a queue may list its own', () => {
    expect(drillDownAttributes(DEFAULT_SLA, 'Sales')).toEqual([]);
    const sla = parseSla('drillDownAttributes: [direction]\nqueues:\n  VIP:\n    drillDownAttributes: [direction, account.tier]\n');
    expect(drillDownAttributes(sla, 'Sales')).toEqual(['direction']);
    expect(drillDownAttributes(sla, null)).toEqual(['direction']);
    expect(drillDownAttributes(sla, 'VIP')).toEqual(['direction', 'account.tier']);
  });

  it('refuses a list that is not of attribute paths, naming the key', () => {
    expect(() => parseSla('drillDownAttributes: direction\n')).toThrow(/^sla.yaml: drillDownAttributes: /);
    expect(() => parseSla('queues:\n  Sales:\n    drillDownAttributes: [""]\n')).toThrow(/^sla.yaml: queues.Sales.drillDownAttributes.0: /);
  });
});

describe('service-level rules per queue', () => {
  it('reads serviceLevelAbandons at the top and per queue, and a group entry for its member queues', () => {
    const sla = parseSla(
      [
        'serviceLevelAbandons: excluded',
        'groups: { Front office: [Sales, Support] }',
        'queues:',
        '  Sales: { serviceLevelAbandons: met_within_threshold }',
        '  Front office: { serviceLevelSeconds: 45, serviceLevelAbandons: missed }',
      ].join('\n'),
    );
    expect(serviceLevelAbandons(sla, 'Sales')).toBe('met_within_threshold'); // its own entry wins
    expect(serviceLevelAbandons(sla, 'Support')).toBe('missed'); // from its group
    expect(serviceLevelAbandons(sla, 'Billing')).toBe('excluded'); // the top level
    expect(serviceLevelSeconds(sla, 'Sales')).toBe(45);
    expect(serviceLevelAbandons(DEFAULT_SLA, null)).toBe('missed');
  });

  it('refuses an unknown rule and a group inside a group, naming the key', () => {
    expect(() => parseSla('serviceLevelAbandons: ignored')).toThrow(/^sla\.yaml: serviceLevelAbandons: /);
    expect(() => parseSla('groups: { A: [Sales], B: [A] }')).toThrow('sla.yaml: groups.B: "A" is a group; a group lists queues only');
  });
});
