// Editor of this data source's template variable query: queues, agents (optionally of one queue),
// activities or channels.
import type { QueryEditorProps } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Combobox, type ComboboxOption, InlineField, Stack } from '@grafana/ui';
import React, { useId, useMemo } from 'react';

import type { DataSource } from '../datasource';
import { migrateVariableQuery } from '../migrate';
import type { FloorboardOptions } from '../types/options';
import { type FloorboardQuery, VARIABLE_KINDS, type VariableKind, type VariableQuery } from '@floorboard/contract';
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
  const id = useId();
  const query = useMemo(() => migrateVariableQuery(saved), [saved]);
  const { names } = useCollectorNames(datasource.api, 'queues');
  const queueOptions = useMemo(
    () => [
      ...variableNames(getTemplateSrv()).map((name): ComboboxOption<string> => ({
        label: name,
        value: name,
        description: 'Template variable',
      })),
      ...names.map((name): ComboboxOption<string> => ({ label: name, value: name })),
    ],
    [names]
  );

  return (
    <Stack gap={0} wrap="wrap">
      <InlineField
        label={selectors.variable.kind}
        htmlFor={`${id}-kind`}
        labelWidth={14}
        tooltip="What the variable lists"
      >
        <Combobox<VariableKind>
          id={`${id}-kind`}
          options={VARIABLE_KINDS.map((kind) => ({ label: KIND_LABELS[kind], value: kind }))}
          value={query.kind}
          width={20}
          onChange={(option) =>
            onChange(
              option.value === 'workers' ? { ...query, kind: option.value } : { refId: query.refId, kind: option.value }
            )
          }
        />
      </InlineField>
      {query.kind === 'workers' && (
        <InlineField
          label={selectors.variable.queue}
          htmlFor={`${id}-queue`}
          labelWidth={14}
          tooltip="Only agents who can take this queue's tasks; a variable such as $queue chains the pickers"
        >
          <Combobox<string>
            id={`${id}-queue`}
            options={queueOptions}
            value={query.queue || null}
            placeholder="All queues"
            createCustomValue
            isClearable
            width={30}
            onChange={(option) => {
              const { queue: _previous, ...rest } = query;
              onChange(option?.value ? { ...rest, queue: option.value } : rest);
            }}
          />
        </InlineField>
      )}
    </Stack>
  );
}
