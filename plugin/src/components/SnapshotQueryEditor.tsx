// Editor of a real-time query: which live number, for which queues (one number each, or the total),
// live or as the floor stood at the time picker's end.
import { Combobox, type ComboboxOption, InlineField, InlineSwitch, Stack } from '@grafana/ui';
import React, { useId } from 'react';

import { findEntry } from '../frames';
import { DATA_AGE, LIVE_VALUES, type LiveValue, type SnapshotTarget } from '@floorboard/contract';
import type { Catalog } from '../types/wire';
import type { KindEditorProps } from './KindEditorProps';
import { NamePicker } from './NamePicker';
import { selectors } from './selectors';

const LIVE_LABELS: Record<LiveValue, string> = {
  tasks_waiting: 'Customers waiting',
  longest_wait: 'Longest wait',
  tasks_in_progress: 'Tasks in progress',
  agents_available: 'Agents available',
  agents_logged_in: 'Agents logged in',
  tasks_handled: 'Handled today',
  tasks_abandoned: 'Abandoned today',
  service_level: 'Service level today',
  avg_wait: 'Waiting time today',
  agents_required: 'Agents required now (Erlang C)',
  staffing_gap: 'Staffing gap now',
  agents_by_activity: 'Agents by activity',
  last_event_age: 'Newest event (age, seconds)',
};

function liveOptions(catalog: Catalog | undefined): Array<ComboboxOption<LiveValue>> {
  return LIVE_VALUES.map((value) => ({
    label: LIVE_LABELS[value],
    value,
    description:
      findEntry(catalog, value)?.description ??
      (value === DATA_AGE ? 'How long ago the newest TaskRouter event arrived: data freshness' : undefined),
  }));
}

export function SnapshotQueryEditor({
  query,
  onChange,
  onRunQuery,
  catalog,
  datasource,
}: KindEditorProps<SnapshotTarget>) {
  const id = useId();
  const change = (next: SnapshotTarget) => {
    onChange(next);
    onRunQuery();
  };
  return (
    <Stack gap={0} wrap="wrap">
      <InlineField
        label={selectors.query.liveValue}
        htmlFor={`${id}-value`}
        labelWidth={18}
        tooltip="A number that updates the moment the contact center changes"
      >
        <Combobox<LiveValue>
          id={`${id}-value`}
          options={liveOptions(catalog)}
          value={query.metric}
          width={30}
          onChange={(option) => change({ ...query, metric: option.value })}
        />
      </InlineField>
      <InlineField
        label={selectors.query.queues}
        htmlFor={`${id}-queues`}
        labelWidth={14}
        tooltip="One number per queue; empty shows the total of all queues"
      >
        <NamePicker
          api={datasource.api}
          source="queues"
          id={`${id}-queues`}
          placeholder="Total of all queues"
          value={query.queues}
          onChange={(queues) => change({ ...query, queues })}
        />
      </InlineField>
      <InlineField
        label={selectors.query.atRangeEnd}
        labelWidth={22}
        tooltip="Show the number as it stood at the end of the dashboard's time range (after an incident: what did the floor look like at 10:32?) instead of live"
      >
        <InlineSwitch
          aria-label={selectors.query.atRangeEnd}
          value={query.at === 'range_end'}
          onChange={(event) => change({ ...query, at: event.currentTarget.checked ? 'range_end' : 'live' })}
        />
      </InlineField>
    </Stack>
  );
}
