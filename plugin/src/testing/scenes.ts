// Grafana 12's dashboard runtime around @grafana/scenes, reduced to what a data source sees, so the
// plugin can be tested against real Scenes objects (SceneVariableSet, LocalValueVariable,
// SceneQueryRunner) rather than a hand-written imitation of them. Each piece names the Grafana
// source it stands in for; the interpolation itself is always done by @grafana/scenes.
import {
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  LoadingState,
  type PanelData,
  type ScopedVars,
  type TypedVariableModel,
} from '@grafana/data';
import type { DataSourceSrv, TemplateSrv } from '@grafana/runtime';
import type { DataSourceRef } from '@grafana/schema';
import { MultiValueVariable, sceneGraph, type SceneObject, type VariableCustomFormatterFn } from '@grafana/scenes';
import { from, map, type Observable, scan } from 'rxjs';

/**
 * TemplateSrv as Grafana 12 runs it under Scenes (public/app/features/templating/template_srv.ts):
 * `replace` interpolates through `sceneGraph.interpolate` from the SceneObject a SceneQueryRunner
 * puts in `scopedVars.__sceneObject` (its "primary method"), else from the active dashboard scene;
 * `getVariables` lists the dashboard-level variables (getVariablesCompatibility.ts), which is
 * all a plugin can learn from it.
 */
export class SceneTemplateSrv implements TemplateSrv {
  constructor(private readonly dashboard: SceneObject) {}

  getVariables(): TypedVariableModel[] {
    return sceneGraph.getVariables(this.dashboard).state.variables.map((variable) => {
      const current =
        variable instanceof MultiValueVariable
          ? { text: variable.state.text, value: variable.state.value }
          : { text: variable.getValueText?.() ?? '', value: variable.getValue() };
      return { name: variable.state.name, type: variable.state.type, current } as unknown as TypedVariableModel;
    });
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    const scoped = scopedVars?.__sceneObject?.value as { valueOf(): SceneObject } | undefined;
    const scope = scoped ? scoped.valueOf() : this.dashboard;
    return sceneGraph.interpolate(scope, target, scopedVars, format as string | VariableCustomFormatterFn | undefined);
  }

  containsTemplate(target?: string): boolean {
    return target !== undefined && /\$\w+|\$\{\w+|\[\[\w+/.test(target);
  }

  updateTimeRange(): void {}
}

/** DataSourceSrv that knows one data source (Grafana resolves `${datasource}` to it). */
export function singleDataSourceSrv(instance: Pick<DataSourceApi, 'uid' | 'type' | 'name'>): DataSourceSrv {
  const ds = instance as DataSourceApi;
  return {
    get: (_ref?: DataSourceRef | string | null) => Promise.resolve(ds),
    getList: () => [ds as unknown as DataSourceInstanceSettings],
    getInstanceSettings: () => ({ uid: ds.uid, type: ds.type, name: ds.name }) as DataSourceInstanceSettings,
    reload: () => Promise.resolve(),
    registerRuntimeDataSource: () => undefined,
  } as unknown as DataSourceSrv;
}

/**
 * Grafana's runRequest (public/app/features/query/state/runRequest.ts) reduced to its contract with
 * a data source: call `queryFunction` (a variable support's `query`) or `ds.query`, keep the
 * latest packet per `key` and emit PanelData with every key's data, unprocessed, in the state of
 * the packet just received (Error when any packet carries errors), as `processResponsePacket` does.
 */
export function runRequest(
  ds: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: (request: DataQueryRequest) => Observable<DataQueryResponse> | Promise<DataQueryResponse>
): Observable<PanelData> {
  const responses = queryFunction ? from(queryFunction(request)) : from(ds.query(request));
  return responses.pipe(
    scan((state, packet) => ({ packet, byKey: new Map(state.byKey).set(packet.key ?? 'A', packet) }), {
      packet: undefined as DataQueryResponse | undefined,
      byKey: new Map<string, DataQueryResponse>(),
    }),
    map(({ packet, byKey }): PanelData => {
      const packets = [...byKey.values()];
      const errors = packets.flatMap((one) => one.errors ?? []);
      return {
        state: errors.length > 0 ? LoadingState.Error : (packet?.state ?? LoadingState.Done),
        series: packets.flatMap((one) => one.data),
        errors,
        request,
        timeRange: request.range,
      };
    })
  );
}
