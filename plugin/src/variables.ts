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
import type { VariableQuery } from './types/query';
import type { VariableValue } from './types/wire';

/** Grafana's marker for a multi-value variable set to "All". */
const ALL = '$__all';

/** `$name`, `${name}`, `${name:format}` or `[[name]]` standing alone. */
const LONE_VARIABLE = /^\s*(?:\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\])\s*$/;

/**
 * Expands a list of names that may hold template variables into plain names. Multi-value variables
 * become several names; a variable set to "All" empties the list, which the collector reads as
 * "every queue" (cheaper and more correct than listing them all).
 */
export function interpolateList(
  values: readonly string[],
  templateSrv: TemplateSrv,
  scopedVars: ScopedVars = {}
): string[] {
  const names: string[] = [];
  for (const value of values) {
    if (selectsAll(value, templateSrv, scopedVars)) {
      return [];
    }
    names.push(
      ...(LONE_VARIABLE.test(value)
        ? parseJsonList(templateSrv.replace(value, scopedVars, formatAsJsonList))
        : [templateSrv.replace(value, scopedVars)])
    );
  }
  return [...new Set(names.map((name) => name.trim()).filter((name) => name !== ''))];
}

/** Interpolates a single text value such as an interval (`$__interval`, `$bucket`). */
export function interpolateText(value: string, templateSrv: TemplateSrv, scopedVars: ScopedVars = {}): string {
  return templateSrv.replace(value, scopedVars);
}

/** Variable names offered next to real values in pickers, as `$name`. */
export function variableNames(templateSrv: TemplateSrv): string[] {
  return templateSrv.getVariables().map((variable) => `$${variable.name}`);
}

function formatAsJsonList(value: string | string[]): string {
  return JSON.stringify(Array.isArray(value) ? value : [value]);
}

function parseJsonList(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) {
      return parsed.map((item) => String(item));
    }
  } catch {
    // An unknown variable stays as typed ("$nosuch"); the collector then matches no queue.
  }
  return [text];
}

function selectsAll(value: string, templateSrv: TemplateSrv, scopedVars: ScopedVars): boolean {
  const match = LONE_VARIABLE.exec(value);
  const name = match?.[1] ?? match?.[2] ?? match?.[3];
  if (!name) {
    return false;
  }
  const scoped = scopedVars[name];
  if (scoped) {
    return isAllValue(scoped.value);
  }
  const variable = templateSrv.getVariables().find((candidate) => candidate.name === name);
  if (variable && 'current' in variable && variable.current) {
    return isAllValue(variable.current.value);
  }
  return false;
}

function isAllValue(value: unknown): boolean {
  return value === ALL || (Array.isArray(value) && value.includes(ALL));
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
