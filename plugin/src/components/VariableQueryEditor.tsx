// Editor of this data source's template variable query: queues, agents (optionally of one queue),
// activities or channels.
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { InlineField, Select, Stack } from '@grafana/ui';
import React, { useMemo } from 'react';

import type { DataSource } from '../datasource';
import { migrateVariableQuery } from '../migrate';
import type { FloorboardOptions } from '../types/options';
import { type FloorboardQuery, VARIABLE_KINDS, type VariableKind, type VariableQuery } from '../types/query';
import { variableNames } from '../variables';
import { useCollectorNames } from './NamePicker';
import { selectors } from './selectors';

const KIND_LABELS: Record<VariableKind, string> = {
  queues: 'Queues',
  workers: 'Agents',
  activities: 'Activities',
  channels: 'Channels',
};

type Props = QueryEditorProps<DataSource, FloorboardQuery, FloorboardOptions, VariableQuery>;

export function VariableQueryEditor({ query: saved, onChange, datasource }: Props) {
  const query = useMemo(() => migrateVariableQuery(saved), [saved]);
  const { names } = useCollectorNames(datasource.api, 'queues');
  const queueOptions = useMemo(
    () => [
      { label: 'All queues', value: '' },
      ...variableNames(getTemplateSrv()).map((name): SelectableValue<string> => ({
        label: name,
        value: name,
        description: 'Template variable',
      })),
      ...names.map((name): SelectableValue<string> => ({ label: name, value: name })),
    ],
    [names]
  );

  return (
    <Stack gap={0} wrap="wrap">
      <InlineField label="Values" labelWidth={14} tooltip="What the variable lists">
        <Select<VariableKind>
          aria-label={selectors.variable.kind}
          options={VARIABLE_KINDS.map((kind) => ({ label: KIND_LABELS[kind], value: kind }))}
          value={query.kind}
          width={20}
          onChange={(option) =>
            option.value &&
            onChange(
              option.value === 'workers' ? { ...query, kind: option.value } : { refId: query.refId, kind: option.value }
            )
          }
        />
      </InlineField>
      {query.kind === 'workers' && (
        <InlineField
          label="Of queue"
          labelWidth={14}
          tooltip="Only agents who can take this queue's tasks; a variable such as $queue chains the pickers"
        >
          <Select<string>
            aria-label={selectors.variable.queue}
            options={queueOptions}
            value={query.queue ?? ''}
            allowCustomValue
            width={30}
            onChange={(option) => {
              const { queue: _previous, ...rest } = query;
              onChange(option.value ? { ...rest, queue: option.value } : rest);
            }}
          />
        </InlineField>
      )}
    </Stack>
  );
}
