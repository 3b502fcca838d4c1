// Runs one panel target of each kind and answers with responses keyed by its refId, so Grafana
// merges them and an error stays on the target that caused it.
import { type DataQueryError, type DataQueryResponse, LoadingState } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { asyncScheduler, catchError, from, map, type Observable, of, startWith, switchMap, throttleTime } from 'rxjs';

import { type CollectorApi, CollectorError } from './api';
import { annotationsFrame, findEntry, metricFrames, snapshotFrame } from './frames';
import { snapshotResponses } from './live';
import { type RequestContext, slidingWindow, toAnnotationsParams, toMetricQuery, type TimeWindow } from './request';
import type { AnnotationsTarget, MetricTarget, QueryOf, QueryType, SnapshotTarget } from '@floorboard/contract';
import type { Catalog, Snapshot } from './types/wire';
import { interpolateList } from './variables';

/** Live metric targets re-query at most this often, however busy the contact center. */
export const LIVE_REQUERY_MS = 2000;

export interface RunContext {
  api: CollectorApi;
  templateSrv: TemplateSrv;
  /** The catalog (fetched once per data source instance); undefined if it could not be loaded. */
  catalog: () => Promise<Catalog | undefined>;
  /** The last catalog loaded, for frames built synchronously from live snapshots. */
  cachedCatalog: () => Catalog | undefined;
  /** Snapshots from `/api/live`, shared by every live target of this data source. */
  snapshots: Observable<Snapshot>;
  defaultTimezone?: string;
}

type Runner<K extends QueryType> = (
  target: QueryOf<K>,
  request: RequestContext,
  context: RunContext
) => Observable<DataQueryResponse>;

export const RUNNERS: { [K in QueryType]: Runner<K> } = {
  metric: runMetric,
  snapshot: runSnapshot,
  annotations: runAnnotations,
};

export function runTarget<K extends QueryType>(
  target: QueryOf<K>,
  request: RequestContext,
  context: RunContext
): Observable<DataQueryResponse> {
  const runner: Runner<K> = RUNNERS[target.queryType as K];
  return runner(target, request, context).pipe(catchError((error: unknown) => of(errorResponse(target.refId, error))));
}

function runMetric(target: MetricTarget, request: RequestContext, context: RunContext): Observable<DataQueryResponse> {
  const once = (window?: TimeWindow): Observable<DataQueryResponse> =>
    from(
      Promise.all([
        context.api.query(toMetricQuery(target, request, context.templateSrv, context.defaultTimezone, window)),
        context.catalog(),
      ])
    ).pipe(
      map(([response, catalog]) => ({
        data: metricFrames(response.frames, target, findEntry(catalog, target.metric)),
        key: target.refId,
        state: target.live ? LoadingState.Streaming : LoadingState.Done,
      }))
    );
  if (!target.live) {
    return once();
  }
  // Live: run now, then again whenever the snapshot changes; a failed run doesn't end the stream.
  return context.snapshots.pipe(
    map(() => undefined),
    startWith(undefined),
    throttleTime(LIVE_REQUERY_MS, asyncScheduler, { leading: true, trailing: true }),
    switchMap(() =>
      once(slidingWindow(request, Date.now())).pipe(
        catchError((error: unknown) => of(errorResponse(target.refId, error, LoadingState.Streaming)))
      )
    )
  );
}

function runSnapshot(
  target: SnapshotTarget,
  request: RequestContext,
  context: RunContext
): Observable<DataQueryResponse> {
  const queues = interpolateList(target.queues, context.templateSrv, request.scopedVars);
  if (target.at === 'range_end') {
    // The floor as it stood at the time picker's end: asked once, nothing streams.
    return from(Promise.all([context.api.snapshotAt(request.range.to.valueOf()), context.catalog()])).pipe(
      map(([snapshot, catalog]) => ({
        data: [snapshotFrame(snapshot, target, queues, catalog, Date.parse(snapshot.at))],
        key: target.refId,
        state: LoadingState.Done,
      }))
    );
  }
  return from(context.catalog()).pipe(
    switchMap(() => snapshotResponses(context.snapshots, target, queues, context.cachedCatalog))
  );
}

function runAnnotations(
  target: AnnotationsTarget,
  request: RequestContext,
  context: RunContext
): Observable<DataQueryResponse> {
  return from(
    context.api.annotations(toAnnotationsParams(target, request, context.templateSrv, context.defaultTimezone))
  ).pipe(
    map((response) => ({
      data: [annotationsFrame(response.annotations, target)],
      key: target.refId,
      state: LoadingState.Done,
    }))
  );
}

export function errorResponse(
  refId: string,
  error: unknown,
  state: LoadingState = LoadingState.Error
): DataQueryResponse {
  const queryError: DataQueryError = {
    refId,
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof CollectorError && error.status !== undefined ? { status: error.status } : {}),
  };
  return { data: [], key: refId, state, errors: [queryError] };
}
