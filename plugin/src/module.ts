// Plugin entry: the data source with its React editors attached (datasource.ts stays UI-free so it
// can run outside a browser), plus the config and query editors.
import { type DataSourceInstanceSettings, DataSourcePlugin } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

import { annotationSupport } from './annotations';
import { AnnotationsQueryEditor } from './components/AnnotationsQueryEditor';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { DataSource } from './datasource';
import type { FloorboardOptions, FloorboardSecureOptions } from './types/options';
import type { FloorboardQuery } from '@floorboard/contract';
import { FloorboardVariableSupport } from './variables';

export class FloorboardDataSource extends DataSource {
  constructor(instanceSettings: DataSourceInstanceSettings<FloorboardOptions>) {
    super(instanceSettings);
    this.variables = new FloorboardVariableSupport(this.api, getTemplateSrv, VariableQueryEditor);
    this.annotations = { ...annotationSupport, QueryEditor: AnnotationsQueryEditor };
  }
}

export const plugin = new DataSourcePlugin<
  FloorboardDataSource,
  FloorboardQuery,
  FloorboardOptions,
  FloorboardSecureOptions
>(FloorboardDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
