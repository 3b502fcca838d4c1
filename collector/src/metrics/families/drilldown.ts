// Drill-down tables: the tasks behind "Customers waiting" / "Longest wait" (waiting_tasks) and
// "In progress" (active_tasks), one row per task open at the query's `to` (never later than now).
// Task attributes hold personal data: a row shows only the paths the SLA file lists under
// drillDownAttributes for the task's queue, and nothing else of them ever leaves this module.
import type { FrameField, QueryResponse } from '@floorboard/contract';
import { drillDownAttributes } from '@floorboard/contract/sla';
import { INTERVAL_KIND_ID } from '../../store/facts';
import type { StoredInterval } from '../../store/intervals';
import { cmp, type ParsedQuery, type QueryKit, type Runner } from '../kit';
import { attributePath, parseAttributes } from '../taskfacts';

type OpenTask = StoredInterval & { owner: string };

/** Tasks of `kind` open at the query's instant, within its queue and channel filters, longest-running first. */
function openTasks(q: ParsedQuery, kit: QueryKit, kind: number): { at: number; rows: OpenTask[] } {
  const at = kit.instant(q);
  const f = kit.filter(q);
  const rows = kit.intervals
    .openAt(kind, at)
    .filter((r) => (!f.queues || f.queues.includes(r.queue)) && (!f.channels || f.channels.includes(r.channel)))
    .sort((a, b) => a.origin - b.origin || cmp(a.owner, b.owner));
  return { at, rows };
}

const seconds = (at: number, since: number) => Math.max(0, Math.round((at - since) / 1000));

function textField(name: string, values: (string | null)[]): FrameField {
  return { name, type: 'string', values };
}
function secondsField(name: string, displayName: string, values: number[]): FrameField {
  return { name, type: 'number', values, config: { unit: 's', displayName } };
}

/** Every attribute path any queue may show, in the SLA file's order: the table's columns. */
function attributeColumns(kit: QueryKit): string[] {
  const all = [kit.sla.drillDownAttributes, ...Object.values(kit.sla.queues).map((o) => o.drillDownAttributes ?? [])].flat();
  return [...new Set(all)];
}

function waitingTasks(q: ParsedQuery, kit: QueryKit): QueryResponse {
  const { at, rows } = openTasks(q, kit, INTERVAL_KIND_ID.waiting);
  const columns = attributeColumns(kit);
  const queueNames = rows.map((r) => kit.dims.name(r.queue));
  const details = rows.map((r) => kit.floor.taskAt(r.owner, at));
  const attrs = details.map((d) => parseAttributes(d.attributes));
  const attributeFields = columns.map((path) =>
    textField(
      `attributes.${path}`,
      rows.map((_r, i) => (drillDownAttributes(kit.sla, queueNames[i] ?? null).includes(path) ? attributePath(attrs[i], path) : null)),
    ),
  );
  const fields: FrameField[] = [
    textField(
      'task',
      rows.map((r) => r.owner),
    ),
    textField('queue', queueNames),
    textField(
      'channel',
      rows.map((r) => kit.dims.name(r.channel)),
    ),
    { name: 'priority', type: 'number', values: details.map((d) => d.priority), config: { unit: 'none', displayName: 'Priority' } },
    secondsField(
      'age',
      'Waiting for',
      rows.map((r) => seconds(at, r.origin)),
    ),
    secondsField(
      'time_in_queue',
      'In this queue for',
      rows.map((r) => seconds(at, r.start_ms)),
    ),
    ...attributeFields,
  ];
  return { frames: [{ name: q.metric.id, fields }] };
}

function activeTasks(q: ParsedQuery, kit: QueryKit): QueryResponse {
  const { at, rows } = openTasks(q, kit, INTERVAL_KIND_ID.in_progress);
  const names = kit.population.workerNames();
  const fields: FrameField[] = [
    textField(
      'task',
      rows.map((r) => r.owner),
    ),
    textField(
      'queue',
      rows.map((r) => kit.dims.name(r.queue)),
    ),
    textField(
      'channel',
      rows.map((r) => kit.dims.name(r.channel)),
    ),
    textField(
      'agent',
      rows.map((r) => names.get(r.worker) ?? null),
    ),
    secondsField(
      'age',
      'Task age',
      rows.map((r) => seconds(at, r.origin)),
    ),
    secondsField(
      'since_accepted',
      'Since accepted',
      rows.map((r) => seconds(at, r.start_ms)),
    ),
  ];
  return { frames: [{ name: q.metric.id, fields }] };
}

export const drilldownFamily = {
  waiting_tasks: waitingTasks,
  active_tasks: activeTasks,
} satisfies Record<string, Runner>;
