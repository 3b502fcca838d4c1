import { setTemplateSrv } from '@grafana/runtime';

import { AnnotationsQueryEditor } from './components/AnnotationsQueryEditor';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { FloorboardDataSource, plugin } from './module';
import { FakeTemplateSrv } from './testing/fakes';

describe('plugin module', () => {
  it('registers the editors Grafana shows', () => {
    expect(plugin.components.ConfigEditor).toBe(ConfigEditor);
    expect(plugin.components.QueryEditor).toBe(QueryEditor);
    expect(plugin.DataSourceClass).toBe(FloorboardDataSource);
  });

  it('gives each instance its variable and annotation editors', () => {
    setTemplateSrv(new FakeTemplateSrv());
    const ds = new FloorboardDataSource({
      id: 1,
      uid: 'floorboard',
      type: 'floorboard-taskrouter-datasource',
      name: 'Floorboard',
      url: '/api/datasources/proxy/uid/floorboard',
      jsonData: {},
      access: 'proxy',
      readOnly: false,
      meta: { id: 'floorboard-taskrouter-datasource' } as ConstructorParameters<typeof FloorboardDataSource>[0]['meta'],
    });
    expect(ds.variables && 'editor' in ds.variables ? ds.variables.editor : undefined).toBe(VariableQueryEditor);
    expect(ds.annotations?.QueryEditor).toBe(AnnotationsQueryEditor);
    expect(ds.api.baseUrl).toBe('/api/datasources/proxy/uid/floorboard/collector');
  });
});
