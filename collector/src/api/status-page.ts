// The collector's first screen (GET /): a small server-rendered HTML page of what /api/health
// says, how fresh the newest event is, which SLA file is in use, where the API and Grafana are and
// how to point Twilio at this collector. No script; every dynamic value is HTML-escaped.
import type { HealthReport } from './health';

export interface StatusView {
  version: string;
  /** The health report, or null when FLOORBOARD_API_TOKEN guards it (a browser cannot send the token). */
  health: HealthReport | null;
  now: number;
  /** SLA file in use, or null for the built-in defaults. */
  slaFile: string | null;
  slaDefaultPath: string;
  /** Minutes without events after which the freshness turns red (SLA file `noEventsMinutes`). */
  noEventsMinutes: number;
  timezone: string;
  /** Base URL Twilio calls (FLOORBOARD_PUBLIC_URL, else this request's own origin). */
  publicUrl: string;
  publicUrlConfigured: boolean;
  signaturesChecked: boolean;
  /** Grafana's base URL (FLOORBOARD_GRAFANA_URL), or a guess from this request's host. */
  grafanaUrl: string;
  grafanaUrlConfigured: boolean;
}

/** Freshness turns amber after this long without an event (as on the dashboards). */
const QUIET_AFTER_MS = 2 * 60_000;

/** Health fields the page shows in its own words; other numeric fields are listed by name. */
const KNOWN_FIELDS = new Set(['status', 'eventsStored', 'lastEventAt', 'lastReceivedAt', 'db', 'quarantinedEvents']);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const count = (n: number) => n.toLocaleString('en');

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.round(h / 24)} days`;
}

function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  for (; n >= 1024 && i < units.length - 1; i++) n /= 1024;
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** "quarantinedEvents" → "Quarantined events". */
function label(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function freshness(v: StatusView): { level: 'ok' | 'warn' | 'breach' | 'empty'; text: string } {
  const newest = v.health?.lastEventAt ? Date.parse(v.health.lastEventAt) : null;
  if (newest === null) return { level: 'empty', text: 'No TaskRouter event stored yet: point Twilio at this collector (below).' };
  const age = v.now - newest;
  if (age >= v.noEventsMinutes * 60_000)
    return {
      level: 'breach',
      text: `No event for ${formatAge(age)} (more than ${v.noEventsMinutes} min, the SLA file's noEventsMinutes).`,
    };
  if (age >= QUIET_AFTER_MS) return { level: 'warn', text: `Quiet: the newest event is ${formatAge(age)} old.` };
  return { level: 'ok', text: `Receiving events: the newest is ${formatAge(age)} old.` };
}

function row(name: string, value: string, field?: string): string {
  return `<tr${field ? ` data-field="${escapeHtml(field)}"` : ''}><th scope="row">${escapeHtml(name)}</th><td>${value}</td></tr>`;
}

function timeCell(iso: string | null, now: number): string {
  if (!iso) return 'none yet';
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time> (${formatAge(now - Date.parse(iso))} ago)`;
}

function statusRows(v: StatusView): string {
  const h = v.health;
  if (!h)
    return row(
      'Counts',
      'hidden: FLOORBOARD_API_TOKEN is set. Ask <code>GET /api/health</code> with <code>Authorization: Bearer &lt;token&gt;</code>.',
    );
  const rows = [
    row('Events stored', count(h.eventsStored), 'eventsStored'),
    row('Newest event', timeCell(h.lastEventAt, v.now), 'lastEventAt'),
    row('Last received', timeCell(h.lastReceivedAt, v.now), 'lastReceivedAt'),
  ];
  // Counts added to the health report later (e.g. `quarantinedEvents`) appear without a change here.
  const fields: Record<string, unknown> = { ...h };
  const quarantined = fields.quarantinedEvents;
  if (typeof quarantined === 'number')
    rows.push(
      row(
        'Quarantined events',
        `${count(quarantined)}${quarantined > 0 ? ' (authenticated but unreadable, kept verbatim)' : ''}`,
        'quarantinedEvents',
      ),
    );
  for (const [field, value] of Object.entries(fields))
    if (!KNOWN_FIELDS.has(field) && typeof value === 'number') rows.push(row(label(field), count(value), field));
  rows.push(row('Database', `<code>${escapeHtml(h.db.path)}</code>, ${formatBytes(h.db.sizeBytes)}`, 'db'));
  return rows.join('\n');
}

function setupRows(v: StatusView): string {
  const sla = v.slaFile
    ? `<code>${escapeHtml(v.slaFile)}</code>`
    : `built-in defaults (no file at <code>${escapeHtml(v.slaDefaultPath)}</code>; FLOORBOARD_SLA names one)`;
  return [
    row('SLA file', sla, 'slaFile'),
    row('Time zone', escapeHtml(v.timezone), 'timezone'),
    row(
      'Webhook signatures',
      v.signaturesChecked
        ? 'checked (TWILIO_AUTH_TOKEN)'
        : '<strong>not checked</strong> (FLOORBOARD_ALLOW_UNSIGNED=1: local testing only)',
      'signatures',
    ),
  ].join('\n');
}

function link(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
}

export function renderStatusPage(v: StatusView): string {
  const fresh = freshness(v);
  const base = v.publicUrl;
  const grafana = v.grafanaUrl;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="30">
<title>Floorboard collector</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f5; color: #1f2328; }
  main { max-width: 56rem; margin: 0 auto; padding: 1.5rem; }
  h1 { font-size: 1.5rem; margin: 0 0 1rem; } h1 small { color: #59636e; font-weight: normal; font-size: 1rem; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
  section { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: .25rem 1rem 1rem; margin-bottom: 1rem; }
  table { border-collapse: collapse; width: 100%; } th { text-align: left; font-weight: 600; width: 12rem; vertical-align: top; }
  th, td { padding: .3rem .5rem .3rem 0; border-top: 1px solid #eef0f2; }
  code { background: #eef0f2; padding: 0 .25rem; border-radius: 3px; overflow-wrap: anywhere; }
  .freshness { padding: .6rem 1rem; border-radius: 6px; font-weight: 600; margin-bottom: 1rem; }
  .ok { background: #dafbe1; color: #116329; } .warn { background: #fff8c5; color: #7d4e00; }
  .breach { background: #ffebe9; color: #a40e26; } .empty { background: #ddf4ff; color: #0a3069; }
  li { margin: .3rem 0; }
</style>
</head>
<body>
<main>
<h1>Floorboard collector <small>version ${escapeHtml(v.version)}</small></h1>
<p class="freshness ${fresh.level}" data-freshness="${fresh.level}">${escapeHtml(fresh.text)}</p>
<section>
<h2>Status</h2>
<table>
${statusRows(v)}
${setupRows(v)}
</table>
</section>
<section>
<h2>Point Twilio at this collector</h2>
<ol>
<li><strong>Event Callback</strong>: in the Twilio Console, <em>TaskRouter → Workspaces → your workspace → Settings</em>, set <em>Event callback URL</em> (the workspace's <code>EventCallbackUrl</code>) to <code>${escapeHtml(base)}/webhooks/taskrouter</code>. TaskRouter then POSTs every event there.</li>
<li>Or <strong>Event Streams</strong>: a webhook sink with destination <code>${escapeHtml(base)}/webhooks/event-streams</code>, subscribed to the <code>com.twilio.taskrouter.*</code> event types.</li>
<li>${
    v.publicUrlConfigured
      ? `Signatures are checked against <code>FLOORBOARD_PUBLIC_URL</code> = <code>${escapeHtml(base)}</code>: Twilio must call exactly that address.`
      : `<code>FLOORBOARD_PUBLIC_URL</code> is not set, so the address above is how this page was reached. Set it to the URL Twilio calls (behind a proxy or tunnel), since signatures cover the URL.`
  }</li>
</ol>
</section>
<section>
<h2>Links</h2>
<ul>
<li>API: ${[
    ['/api/health', 'health'],
    ['/api/catalog', 'metric catalog'],
    ['/api/snapshot', 'snapshot'],
    ['/api/live', 'live (SSE)'],
    ['/metrics', 'Prometheus metrics'],
  ]
    .map(([href, text]) => link(href!, text!))
    .join(' · ')}</li>
<li>Grafana: ${link(`${grafana}/d/floorboard-wallboard?kiosk`, 'wallboard (TV)')} · ${link(`${grafana}/d/floorboard-summary`, 'summary')} · ${link(`${grafana}/d/floorboard-queues`, 'queues')} · ${link(`${grafana}/d/floorboard-agents`, 'agents')}${
    v.grafanaUrlConfigured
      ? ''
      : ` <small>(guessed: <code>${escapeHtml(grafana)}</code>, the docker compose port; FLOORBOARD_GRAFANA_URL sets it)</small>`
  }</li>
</ul>
</section>
</main>
</body>
</html>
`;
}
