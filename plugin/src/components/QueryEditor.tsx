// The panel query editor: picks the kind of query and hands over to that kind's editor. The
// `Record<QueryType, ...>` dispatch makes a kind without an editor a compile error.
import type { QueryEditorProps } from '@grafana/data';
import { Alert, InlineField, RadioButtonGroup, Stack } from '@grafana/ui';
import React, { type ComponentType, useEffect, useMemo, useState } from 'react';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrate';
import type { FloorboardOptions } from '../types/options';
import { type FloorboardQuery, QUERY_TYPES, type QueryOf, type QueryType, withQueryType } from '@floorboard/contract';
import type { Catalog } from '../types/wire';
import { AnnotationsFields } from './AnnotationsQueryEditor';
import type { KindEditorProps } from './KindEditorProps';
import { MetricQueryEditor } from './MetricQueryEditor';
import { selectors } from './selectors';
import { SnapshotQueryEditor } from './SnapshotQueryEditor';

type Props = QueryEditorProps<DataSource, FloorboardQuery, FloorboardOptions>;

export const QUERY_TYPE_LABELS: Record<QueryType, { label: string; description: string }> = {
  metric: { label: 'History', description: 'A metric over the dashboard time range' },
  snapshot: { label: 'Real-time', description: 'Live numbers: waiting now, agents available, today so far' },
  annotations: { label: 'SLA breaches', description: 'When queues went past their SLA targets' },
};

const EDITORS: { [K in QueryType]: ComponentType<KindEditorProps<QueryOf<K>>> } = {
  metric: MetricQueryEditor,
  snapshot: SnapshotQueryEditor,
  annotations: AnnotationsFields,
};

function KindEditor<K extends QueryType>({ kind, ...props }: KindEditorProps<QueryOf<K>> & { kind: K }) {
  const Editor: ComponentType<KindEditorProps<QueryOf<K>>> = EDITORS[kind];
  return <Editor {...props} />;
}

export function useCatalog(datasource: DataSource): { catalog?: Catalog; error?: string } {
  const [state, setState] = useState<{ catalog?: Catalog; error?: string }>({});
  useEffect(() => {
    let current = true;
    datasource.getCatalog().then(
      (catalog) => current && setState({ catalog }),
      (error: unknown) => current && setState({ error: error instanceof Error ? error.message : String(error) })
    );
    return () => {
      current = false;
    };
  }, [datasource]);
  return state;
}

export function QueryEditor({ query: saved, onChange, onRunQuery, datasource }: Props) {
  const query = useMemo(() => migrateQuery(saved), [saved]);
  const { catalog, error } = useCatalog(datasource);

  return (
    <Stack direction="column" gap={1}>
      <InlineField label="Query type" labelWidth={14}>
        <RadioButtonGroup<QueryType>
          aria-label={selectors.query.queryType}
          options={QUERY_TYPES.map((type) => ({ value: type, ...QUERY_TYPE_LABELS[type] }))}
          value={query.queryType}
          onChange={(type) => {
            onChange(withQueryType(query, type));
            onRunQuery();
          }}
        />
      </InlineField>
      {error && (
        <Alert severity="error" title="Could not load the metric catalog" aria-label={selectors.query.catalogError}>
          {error}
        </Alert>
      )}
      <KindEditor
        kind={query.queryType}
        query={query}
        onChange={onChange}
        onRunQuery={onRunQuery}
        datasource={datasource}
        catalog={catalog}
      />
    </Stack>
  );
}
