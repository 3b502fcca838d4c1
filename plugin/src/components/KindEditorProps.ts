// Props every per-kind query editor receives from the dispatching QueryEditor.
import type { DataSource } from '../datasource';
import type { FloorboardQuery } from '@floorboard/contract';
import type { Catalog } from '../types/wire';

export interface KindEditorProps<Q extends FloorboardQuery> {
  query: Q;
  onChange: (query: Q) => void;
  onRunQuery: () => void;
  datasource: DataSource;
  /** Undefined while loading or when the collector could not be reached. */
  catalog: Catalog | undefined;
}
