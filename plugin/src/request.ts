// Maps a panel target plus Grafana's request (time range, interval, dashboard zone, variables) to
// the collector's `MetricQuery` body. Pure: TemplateSrv comes in as an argument.
import { type DataQueryRequest, rangeUtil, type ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

import type { AnnotationsParams } from './types/annotations';
import type { AnnotationsTarget, FloorboardQuery, MetricTarget } from '@floorboard/contract';
import type { MetricQuery } from './types/wire';
import { interpolateList, interpolateText } from './variables';

/** What `toMetricQuery` reads from Grafana's request. */
export type RequestContext = Pick<
  DataQueryRequest<FloorboardQuery>,
  'range' | 'interval' | 'intervalMs' | 'timezone' | 'scopedVars'
>;

/** Epoch-millisecond bounds of a query. */
export interface TimeWindow {
  from: number;
  to: number;
}

export function toMetricQuery(
  target: MetricTarget,
  request: RequestContext,
  templateSrv: TemplateSrv,
  defaultTimezone?: string,
  window: TimeWindow = { from: request.range.from.valueOf(), to: request.range.to.valueOf() }
): MetricQuery {
  const scopedVars = withIntervalVars(request);
  const timezone = resolveTimezone(request.timezone, defaultTimezone);
  return {
    metric: target.metric,
    from: window.from,
    to: window.to,
    groupBy: target.groupBy,
    ...(target.groupBy === 'time'
      ? { interval: resolveInterval(target.interval, request, templateSrv, scopedVars) }
      : {}),
    queues: interpolateList(target.queues, templateSrv, scopedVars),
    channels: interpolateList(target.channels, templateSrv, scopedVars),
    ...(timezone ? { timezone } : {}),
    options: { ...target.options },
  };
}

export function toAnnotationsParams(
  target: AnnotationsTarget,
  request: RequestContext,
  templateSrv: TemplateSrv,
  defaultTimezone?: string
): AnnotationsParams {
  const timezone = resolveTimezone(request.timezone, defaultTimezone);
  return {
    from: request.range.from.valueOf(),
    to: request.range.to.valueOf(),
    queue: interpolateList(target.queues, templateSrv, request.scopedVars),
    ...(timezone ? { timezone } : {}),
  };
}

/**
 * The zone day and hour buckets use. Grafana sends the dashboard's setting: an IANA name, `utc`,
 * `browser` (the viewer's zone, which is also how Grafana draws the axis), or '' for "Default",
 * where the data source's configured contact-center zone applies (else the collector's own).
 */
export function resolveTimezone(dashboardZone: string | undefined, defaultTimezone?: string): string | undefined {
  const fallback = defaultTimezone && defaultTimezone.trim() !== '' ? defaultTimezone.trim() : undefined;
  switch (dashboardZone) {
    case undefined:
    case '':
      return fallback;
    case 'utc':
      return 'UTC';
    case 'browser':
      return browserTimezone() ?? fallback;
    default:
      return dashboardZone;
  }
}

function browserTimezone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The bucket width: the target's interval with `$__interval` and variables replaced. Grafana's
 * auto interval can be sub-second on short ranges; the collector's smallest bucket is one second.
 */
export function resolveInterval(
  interval: string,
  request: RequestContext,
  templateSrv: TemplateSrv,
  scopedVars: ScopedVars = withIntervalVars(request)
): string {
  const replaced = interpolateText(interval.trim() === '' ? '$__interval' : interval, templateSrv, scopedVars).trim();
  const text = replaced === '' || replaced.includes('$') ? autoInterval(request) : replaced;
  try {
    return rangeUtil.intervalToMs(text) < 1000 ? '1s' : text;
  } catch {
    return text;
  }
}

function autoInterval(request: RequestContext): string {
  if (request.interval) {
    return request.interval;
  }
  return request.intervalMs ? `${Math.max(1, Math.round(request.intervalMs / 1000))}s` : '1m';
}

/** Grafana puts `__interval` in scopedVars; a request built elsewhere (tests, Explore) may not. */
function withIntervalVars(request: RequestContext): ScopedVars {
  return {
    __interval: { text: request.interval, value: request.interval },
    __interval_ms: { text: String(request.intervalMs), value: request.intervalMs },
    ...request.scopedVars,
  };
}

/** For live re-queries: a range ending "now" keeps its width and moves with the clock. */
export function slidingWindow(request: RequestContext, now: number): TimeWindow {
  const from = request.range.from.valueOf();
  const to = request.range.to.valueOf();
  const endsNow = request.range.raw.to === 'now';
  return endsNow ? { from: now - (to - from), to: now } : { from, to };
}
