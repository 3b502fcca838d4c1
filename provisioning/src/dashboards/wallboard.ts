// Wallboard for the TV on the floor: per queue, four huge live numbers coloured from the SLA file.
// Queues with their own SLA numbers get a fixed row with their thresholds; every other queue shares
// a row repeated over `$queue` with the defaults. Kiosk: `/d/floorboard-wallboard?kiosk`.
import type { Sla } from '@floorboard/contract/sla';
import type { LiveValue } from '@floorboard/contract';
import { dataAgeStat, liveStat, type PanelContext } from '../panels';
import { dashboard } from '../sdk';
import { baseDashboard, datasourceVariable, finish, queueVariable } from './common';

export const WALLBOARD_UID = 'floorboard-wallboard';

export const WALLBOARD_NUMBERS: ReadonlyArray<{ metric: LiveValue; title: string }> = [
  { metric: 'tasks_waiting', title: 'Waiting now' },
  { metric: 'longest_wait', title: 'Longest wait' },
  { metric: 'service_level', title: 'Service level today' },
  { metric: 'agents_available', title: 'Agents available' },
  { metric: 'staffing_gap', title: 'Agents short (Erlang C)' },
];

/** Five numbers and the header's data age fill the 24 columns. */
const BIG = { w: 4, h: 12 };
const ALL_QUEUES = 'All queues';

/** Queues whose SLA overrides change a number the wallboard shows; they get their own row. */
export function wallboardOverrideQueues(sla: Sla): string[] {
  return Object.entries(sla.queues)
    .filter(([, o]) => WALLBOARD_NUMBERS.some((n) => o.thresholds?.[n.metric as keyof NonNullable<typeof o.thresholds>] !== undefined))
    .map(([q]) => q)
    .sort();
}

function row(b: dashboard.DashboardBuilder, sla: Sla, title: string, queues: string[], slaQueue: string | null, repeat?: string): void {
  const ctx: PanelContext = { sla, slaQueue };
  const r = new dashboard.RowBuilder(title);
  if (repeat) r.repeat(repeat);
  b.withRow(r);
  // The header row starts with the data's freshness: a stale wallboard must say so.
  if (title === ALL_QUEUES) b.withPanel(dataAgeStat(ctx));
  for (const n of WALLBOARD_NUMBERS) b.withPanel(liveStat(ctx, n.metric, queues, { title: n.title, size: BIG, big: true }));
}

export function wallboardDashboard(sla: Sla): dashboard.Dashboard {
  const own = wallboardOverrideQueues(sla);
  const b = baseDashboard({
    uid: WALLBOARD_UID,
    title: 'Floorboard — Wallboard',
    description:
      'For the TV on the floor (open with ?kiosk): customers waiting, longest wait, service level today, agents available and agents short of the Erlang C estimate, per queue, green / amber / red from sla.yaml.',
    refresh: '10s',
    time: { from: 'now/d', to: 'now' },
    kiosk: true,
  })
    .withVariable(datasourceVariable(true))
    .withVariable(queueVariable({ exclude: own, hidden: true }));

  row(b, sla, ALL_QUEUES, [], null);
  for (const q of own) row(b, sla, q, [q], q);
  row(b, sla, '$queue', ['$queue'], null, 'queue');
  return finish(b);
}
