// The data source: wires Grafana's hooks to the modules that do the work (api, run, live, frames,
// variables, annotations, migrate). It imports no React or @grafana/ui (module.ts attaches the
// editors), and reads @grafana/runtime through getBackendSrv()/getTemplateSrv() at call time, so a
// test outside Grafana and outside a browser can construct it after setBackendSrv(...).
import {
  type CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  DataSourceApi,
  type DataSourceInstanceSettings,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { merge, type Observable, of, ReplaySubject, share } from 'rxjs';

import { annotationSupport } from './annotations';
import { CollectorApi } from './api';
import { testConnection } from './health';
import { snapshotStream } from './live';
import { migrateQuery } from './migrate';
import { type RunContext, runTarget } from './run';
import type { FloorboardOptions } from './types/options';
import { DEFAULT_QUERY, type FloorboardQuery, isRunnable } from '@floorboard/contract';
import type { Catalog, Snapshot } from './types/wire';
import { interpolateList } from './variables';

export class DataSource extends DataSourceApi<FloorboardQuery, FloorboardOptions> {
  readonly api: CollectorApi;
  /** One `/api/live` connection per data source instance, shared by every live panel. */
  readonly snapshots: Observable<Snapshot>;
  private readonly settings: FloorboardOptions;
  private catalogRequest?: Promise<Catalog>;
  private catalogLoaded?: Catalog;

  constructor(instanceSettings: DataSourceInstanceSettings<FloorboardOptions>) {
    super(instanceSettings);
    this.settings = instanceSettings.jsonData ?? {};
    this.api = new CollectorApi(instanceSettings.url ?? `/api/datasources/proxy/uid/${instanceSettings.uid}`);
    this.snapshots = snapshotStream((lastEventId, signal) => this.api.openLive(lastEventId, signal)).pipe(
      share({
        connector: () => new ReplaySubject<Snapshot>(1),
        resetOnRefCountZero: true,
        resetOnError: true,
        resetOnComplete: true,
      })
    );
    this.annotations = annotationSupport;
  }

  override getDefaultQuery(_app: CoreApp): Partial<FloorboardQuery> {
    return DEFAULT_QUERY;
  }

  override filterQuery(query: FloorboardQuery): boolean {
    return isRunnable(migrateQuery(query));
  }

  override query(request: DataQueryRequest<FloorboardQuery>): Observable<DataQueryResponse> {
    const context: RunContext = {
      api: this.api,
      templateSrv: getTemplateSrv(),
      catalog: () => this.getCatalog().catch(() => undefined),
      cachedCatalog: () => this.catalogLoaded,
      snapshots: this.snapshots,
      defaultTimezone: this.settings.timezone,
    };
    const targets = request.targets.map(migrateQuery).filter(isRunnable);
    return targets.length === 0
      ? of({ data: [] })
      : merge(...targets.map((target) => runTarget(target, request, context)));
  }

  /** The metric catalog, fetched once; a failed fetch is retried on the next call. */
  getCatalog(): Promise<Catalog> {
    this.catalogRequest ??= this.api.catalog().then(
      (catalog) => (this.catalogLoaded = catalog),
      (error: unknown) => {
        this.catalogRequest = undefined;
        throw error;
      }
    );
    return this.catalogRequest;
  }

  /** Explore and mixed data sources: resolve variables before the queries leave the dashboard. */
  override interpolateVariablesInQueries(queries: FloorboardQuery[], scopedVars: ScopedVars): FloorboardQuery[] {
    const templateSrv = getTemplateSrv();
    return queries.map(migrateQuery).map((query) => ({
      ...query,
      queues: interpolateList(query.queues, templateSrv, scopedVars),
      ...(query.queryType === 'metric' ? { channels: interpolateList(query.channels, templateSrv, scopedVars) } : {}),
    }));
  }

  override testDatasource(): Promise<TestDataSourceResponse> {
    return testConnection(this.api, this.settings.url);
  }
}
