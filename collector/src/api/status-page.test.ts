import { describe, expect, it } from 'vitest';
import type { HealthReport } from './health';
import { formatAge, renderStatusPage, type StatusView } from './status-page';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const health = (lastEventMs: number | null, extra: Record<string, unknown> = {}): HealthReport =>
  ({
    status: 'ok',
    eventsStored: 123456,
    lastEventAt: lastEventMs === null ? null : new Date(lastEventMs).toISOString(),
    lastReceivedAt: lastEventMs === null ? null : new Date(lastEventMs).toISOString(),
    db: { path: '/data/<floor>&"board".db', sizeBytes: 5 * 1024 * 1024 },
    ...extra,
  }) as HealthReport;
const view = (over: Partial<StatusView> = {}): StatusView => ({
  version: '1.2.3',
  health: health(NOW - 5_000),
  now: NOW,
  slaFile: '/app/sla.yaml',
  slaDefaultPath: './sla.yaml',
  noEventsMinutes: 15,
  timezone: 'Europe/London',
  publicUrl: 'https://floorboard.example.com',
  publicUrlConfigured: true,
  signaturesChecked: true,
  grafanaUrl: 'http://localhost:3000',
  grafanaUrlConfigured: true,
  ...over,
});

describe('status page', () => {
  it('colours freshness as the dashboards do: amber after 2 min, red after noEventsMinutes', () => {
    const level = (ageMs: number | null) =>
      /data-freshness="(\w+)"/.exec(renderStatusPage(view({ health: health(ageMs === null ? null : NOW - ageMs) })))![1];
    expect(level(null)).toBe('empty');
    expect(level(119_000)).toBe('ok');
    expect(level(120_000)).toBe('warn');
    expect(level(15 * 60_000 - 1)).toBe('warn');
    expect(level(15 * 60_000)).toBe('breach');
  });

  it('shows every count of the health report, including ones added later such as quarantinedEvents', () => {
    const html = renderStatusPage(view({ health: health(NOW, { quarantinedEvents: 3, duplicatesIgnored: 4200 }) }));
    expect(html).toContain('<tr data-field="eventsStored"><th scope="row">Events stored</th><td>123,456</td></tr>');
    expect(html).toMatch(/<tr data-field="quarantinedEvents"><th scope="row">Quarantined events<\/th><td>3 \(/);
    expect(html).toContain('<tr data-field="duplicatesIgnored"><th scope="row">Duplicates ignored</th><td>4,200</td></tr>');
    expect(renderStatusPage(view())).not.toContain('quarantinedEvents');
  });

  it('escapes every value it prints', () => {
    const html = renderStatusPage(view());
    expect(html).toContain('/data/&#60;floor&#62;&#38;&#34;board&#34;.db');
    expect(html).not.toContain('<floor>');
  });

  it('hides the counts behind the API token, and says how to read them', () => {
    const html = renderStatusPage(view({ health: null }));
    expect(html).toContain('FLOORBOARD_API_TOKEN is set');
    expect(html).not.toContain('/data/');
    expect(html).toContain('data-freshness="empty"');
  });

  it('tells how to point Twilio at the public URL, and names the built-in SLA defaults', () => {
    const html = renderStatusPage(
      view({ slaFile: null, publicUrlConfigured: false, publicUrl: 'http://10.0.0.5:3300', grafanaUrlConfigured: false }),
    );
    expect(html).toContain('<code>http://10.0.0.5:3300/webhooks/taskrouter</code>');
    expect(html).toContain('<code>http://10.0.0.5:3300/webhooks/event-streams</code>');
    expect(html).toContain('FLOORBOARD_PUBLIC_URL</code> is not set');
    expect(html).toContain('built-in defaults (no file at <code>./sla.yaml</code>');
    expect(html).toContain('FLOORBOARD_GRAFANA_URL sets it');
  });

  it('formats ages the way people read them', () => {
    expect([5_000, 89_000, 600_000, 2 * 3_600_000 + 5 * 60_000, 3 * 86_400_000].map(formatAge)).toEqual([
      '5 s',
      '89 s',
      '10 min',
      '2 h 5 min',
      '3 days',
    ]);
  });
});
