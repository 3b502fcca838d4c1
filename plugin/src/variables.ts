// Template variables: the data source's own variable query (queues, agents, activities, channels)
// and the pure interpolation of `$queue`-style values, which takes TemplateSrv as an argument.
import {
  CustomVariableSupport,
  type DataQueryRequest,
  type DataQueryResponse,
  type MetricFindValue,
  type ScopedVars,
} from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { from, map, type Observable } from 'rxjs';

import type { CollectorApi } from './api';
import type { DataSource } from './datasource';
import { migrateVariableQuery } from './migrate';
import { ALL_VALUE, type VariableQuery } from '@floorboard/contract';
import type { VariableValue } from './types/wire';

/** Grafana's internal marker for "All"; a scoped variable may still carry it. */
const GRAFANA_ALL = '$__all';

/** `$name`, `${name}`, `${name:format}` or `[[name]]` standing alone. */
const LONE_VARIABLE = /^\s*(?:\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\])\s*$/;

/**
 * Expands a list of names that may hold template variables into plain names. Multi-value variables
 * become several names; "All" empties the list, which the collector reads as "every queue"
 * (cheaper and more correct than listing them all).
 *
 * "All" is decided from the interpolated value only: the custom all value (or Grafana's `$__all`)
 * coming back from `replace`. Never from `getVariables()`, which under Scenes lists the
 * dashboard-level variables and so cannot see a repeated row's own value.
 */
export function interpolateList(
  values: readonly string[],
  templateSrv: TemplateSrv,
  scopedVars: ScopedVars = {}
): string[] {
  const names: string[] = [];
  for (const value of values) {
    const name = loneVariableName(value);
    // A lone variable is re-written as `${name}` so the JSON-list formatter applies even when the
    // query names a format of its own (`${queue:csv}` would glue the names into one).
    const items =
      name === undefined
        ? [templateSrv.replace(value, scopedVars)]
        : expandVariable(name, value, templateSrv, scopedVars);
    if (items.some((item) => item === ALL_VALUE || item === GRAFANA_ALL)) {
      return [];
    }
    names.push(...items);
  }
  return [...new Set(names.map((item) => item.trim()).filter((item) => item !== ''))];
}

/** Interpolates a single text value such as an interval (`$__interval`, `$bucket`). */
export function interpolateText(value: string, templateSrv: TemplateSrv, scopedVars: ScopedVars = {}): string {
  return templateSrv.replace(value, scopedVars);
}

/** Variable names offered next to real values in pickers, as `$name`. */
export function variableNames(templateSrv: TemplateSrv): string[] {
  return templateSrv.getVariables().map((variable) => `$${variable.name}`);
}

/** A lone variable's values; an unknown one stays as typed ("$nosuch", matching no queue). */
function expandVariable(name: string, typed: string, templateSrv: TemplateSrv, scopedVars: ScopedVars): string[] {
  const braced = `\${${name}}`;
  const text = templateSrv.replace(braced, scopedVars, formatAsJsonList);
  return text === braced ? [typed.trim()] : parseJsonList(text);
}

function loneVariableName(value: string): string | undefined {
  const match = LONE_VARIABLE.exec(value);
  return match?.[1] ?? match?.[2] ?? match?.[3];
}

function formatAsJsonList(value: unknown): string {
  return JSON.stringify(Array.isArray(value) ? value.map(String) : [String(value)]);
}

function parseJsonList(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) {
      return parsed.map((item) => String(item));
    }
  } catch {
    // Not a list: a custom all value handed over unformatted.
  }
  return [text];
}

/** Fetches a variable's values from the collector; the queue filter is interpolated first. */
export async function variableValues(
  api: CollectorApi,
  query: VariableQuery,
  templateSrv: TemplateSrv,
  scopedVars: ScopedVars = {}
): Promise<VariableValue[]> {
  switch (query.kind) {
    case 'queues':
      return api.queues();
    case 'channels':
      return api.channels();
    case 'activities':
      return api.activities();
    case 'workers':
      return api.workers(query.queue ? interpolateList([query.queue], templateSrv, scopedVars) : []);
  }
}

/** Names are the values panels filter on; sids would be unreadable in a dashboard's picker. */
export function toMetricFindValues(values: VariableValue[]): MetricFindValue[] {
  return values.map((value) => ({ text: value.name, value: value.name }));
}

/** The variable editor's props, as CustomVariableSupport declares them. */
export type VariableEditor = CustomVariableSupport<DataSource, VariableQuery>['editor'];

export class FloorboardVariableSupport extends CustomVariableSupport<DataSource, VariableQuery> {
  constructor(
    private readonly api: CollectorApi,
    private readonly templateSrv: () => TemplateSrv,
    readonly editor: VariableEditor
  ) {
    super();
  }

  query(request: DataQueryRequest<VariableQuery>): Observable<DataQueryResponse> {
    const target = migrateVariableQuery(request.targets[0]);
    return from(variableValues(this.api, target, this.templateSrv(), request.scopedVars)).pipe(
      map((values) => ({ data: toMetricFindValues(values) }))
    );
  }
}
