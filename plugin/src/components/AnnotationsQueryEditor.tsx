// Editor of SLA-breach annotations: which queues and which levels (warnings, breaches) to mark.
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, MultiCombobox, Stack } from '@grafana/ui';
import React, { useId } from 'react';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrate';
import { ANNOTATION_LEVELS, type AnnotationLevel } from '../types/annotations';
import type { FloorboardOptions } from '../types/options';
import { type AnnotationsTarget, type FloorboardQuery, QUERY_DEFAULTS } from '@floorboard/contract';
import type { KindEditorProps } from './KindEditorProps';
import { NamePicker } from './NamePicker';
import { selectors } from './selectors';

const LEVEL_LABELS: Record<AnnotationLevel, string> = { warn: 'Warnings (amber)', breach: 'Breaches (red)' };

export function AnnotationsFields({ query, onChange, onRunQuery, datasource }: KindEditorProps<AnnotationsTarget>) {
  const id = useId();
  const change = (next: AnnotationsTarget) => {
    onChange(next);
    onRunQuery();
  };
  return (
    <Stack gap={0} wrap="wrap">
      <InlineField
        label={selectors.query.levels}
        htmlFor={`${id}-levels`}
        labelWidth={14}
        tooltip="SLA levels from the SLA file to mark on graphs"
      >
        <MultiCombobox<AnnotationLevel>
          id={`${id}-levels`}
          options={ANNOTATION_LEVELS.map((level) => ({ label: LEVEL_LABELS[level], value: level }))}
          value={query.levels}
          width={36}
          onChange={(items) => change({ ...query, levels: items.map((item) => item.value) })}
        />
      </InlineField>
      <InlineField
        label={selectors.query.queues}
        htmlFor={`${id}-queues`}
        labelWidth={14}
        tooltip="Empty means every queue and the total"
      >
        <NamePicker
          api={datasource.api}
          source="queues"
          id={`${id}-queues`}
          placeholder="All queues"
          value={query.queues}
          onChange={(queues) => change({ ...query, queues })}
        />
      </InlineField>
    </Stack>
  );
}

/** The editor Grafana shows under Dashboard settings > Annotations for this data source. */
export function AnnotationsQueryEditor({
  query,
  onChange,
  onRunQuery,
  datasource,
}: QueryEditorProps<DataSource, FloorboardQuery, FloorboardOptions>) {
  const migrated = migrateQuery(query ?? { refId: 'Anno' });
  const target: AnnotationsTarget =
    migrated.queryType === 'annotations'
      ? migrated
      : { ...QUERY_DEFAULTS.annotations, refId: migrated.refId, queues: migrated.queues };
  return (
    <AnnotationsFields
      query={target}
      onChange={onChange}
      onRunQuery={onRunQuery}
      datasource={datasource}
      catalog={undefined}
    />
  );
}
