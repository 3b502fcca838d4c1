// Editor of a real-time query: which live number, for which queues (one number each, or the total).
import type { SelectableValue } from '@grafana/data';
import { InlineField, Select, Stack } from '@grafana/ui';
import React from 'react';

import { findEntry } from '../frames';
import { LIVE_VALUES, type LiveValue, type SnapshotTarget } from '../types/query';
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
  agents_by_activity: 'Agents by activity',
};

function liveOptions(catalog: Catalog | undefined): Array<SelectableValue<LiveValue>> {
  return LIVE_VALUES.map((value) => ({
    label: LIVE_LABELS[value],
    value,
    description: findEntry(catalog, value)?.description,
  }));
}

export function SnapshotQueryEditor({
  query,
  onChange,
  onRunQuery,
  catalog,
  datasource,
}: KindEditorProps<SnapshotTarget>) {
  const change = (next: SnapshotTarget) => {
    onChange(next);
    onRunQuery();
  };
  return (
    <Stack gap={0} wrap="wrap">
      <InlineField label="Value" labelWidth={14} tooltip="A number that updates the moment the contact center changes">
        <Select<LiveValue>
          aria-label={selectors.query.liveValue}
          options={liveOptions(catalog)}
          value={query.metric}
          width={30}
          onChange={(option) => option.value && change({ ...query, metric: option.value })}
        />
      </InlineField>
      <InlineField label="Queues" labelWidth={14} tooltip="One number per queue; empty shows the total of all queues">
        <NamePicker
          api={datasource.api}
          source="queues"
          aria-label={selectors.query.queues}
          placeholder="Total of all queues"
          value={query.queues}
          onChange={(queues) => change({ ...query, queues })}
        />
      </InlineField>
    </Stack>
  );
}
