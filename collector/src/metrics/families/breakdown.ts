// Breakdowns: completed tasks per disposition code and created tasks per direction (and channel),
// read from the label dimension of task samples; optionally one row per queue or channel.
import type { FrameField, QueryResponse } from '@floorboard/contract';
import { timeAxis } from '../axis';
import { SAMPLE_KIND_ID as K } from '../../store/facts';
import type { DimColumn } from '../../store/flow';
import { cmp, type ParsedQuery, type QueryKit, type Runner } from '../kit';

function breakdown(q: ParsedQuery, kit: QueryKit): QueryResponse {
  const kind = q.metric.id === 'dispositions' ? K.completed : K.created;
  const byChannel = q.metric.id === 'tasks_by_direction' && q.groupBy !== 'channel';
  const dim = kit.dimColumn(q.groupBy);
  const dims: DimColumn[] = ['label', ...(dim ? [dim] : []), ...(byChannel ? (['channel'] as const) : [])];
  const axis = timeAxis('none', undefined, q.from, q.to, q.zone);
  const cells = kit.flow.read({ kinds: [kind], from: q.from, to: q.to, axis, dims, filter: kit.filter(q) });
  const rows = [...cells].map(([key, cell]) => {
    const [, label, ...rest] = key.split('|').map(Number);
    return {
      label: kit.dims.name(label!) ?? (q.metric.id === 'dispositions' ? '(none)' : '(unknown)'),
      rest,
      count: cell.get(kind)?.n ?? 0,
    };
  });
  const labelName = q.metric.id === 'dispositions' ? 'disposition' : 'direction';
  const channelName = (r: (typeof rows)[number]) => (byChannel ? (kit.dims.name(r.rest[0]!) ?? '') : '');
  rows.sort((a, b) => cmp(a.label, b.label) || cmp(channelName(a), channelName(b)));
  if (!dim) {
    const fields: FrameField[] = [{ name: labelName, type: 'string', values: rows.map((r) => r.label) }];
    if (byChannel) fields.push({ name: 'channel', type: 'string', values: rows.map((r) => kit.dims.name(r.rest[0]!) ?? '(none)') });
    const f = kit.valueField(q.metric);
    f.values = rows.map((r) => r.count);
    fields.push(f);
    return { frames: [{ name: q.metric.id, fields }] };
  }
  // Wide table: one row per queue (or channel), one column per disposition / direction.
  const members = kit.members(dim, q);
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const fields: FrameField[] = [{ name: q.groupBy, type: 'string', values: members.map((m) => m.name) }];
  for (const label of labels) {
    const f = kit.valueField(q.metric, { [labelName]: label });
    f.name = label;
    f.config = { unit: q.metric.unit, displayName: label };
    f.values = members.map((m) => rows.filter((r) => r.label === label && r.rest[0] === m.id).reduce((s, r) => s + r.count, 0));
    fields.push(f);
  }
  return { frames: [{ name: q.metric.id, fields }] };
}

export const breakdownFamily = { dispositions: breakdown, tasks_by_direction: breakdown } satisfies Record<string, Runner>;
