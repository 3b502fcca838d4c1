// SLA breaches as Grafana annotations: the annotation query is an `annotations` target run through
// query(); its frame becomes coloured events (red for breach, orange for warning). The editor is
// attached in module.ts so this stays free of UI code.
import {
  type AnnotationEvent,
  type AnnotationQuery,
  type AnnotationSupport,
  type DataFrame,
  FieldType,
} from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { of } from 'rxjs';

import { migrateQuery } from './migrate';
import { type FloorboardQuery, QUERY_DEFAULTS } from '@floorboard/contract';

export const annotationSupport: AnnotationSupport<FloorboardQuery> = {
  getDefaultQuery: () => QUERY_DEFAULTS.annotations,

  prepareAnnotation(json: AnnotationQuery<FloorboardQuery>): AnnotationQuery<FloorboardQuery> {
    const target: DataQuery = json.target ?? { refId: 'Anno', ...QUERY_DEFAULTS.annotations };
    const migrated = migrateQuery({ ...target, refId: target.refId || 'Anno' });
    const annotationsTarget =
      migrated.queryType === 'annotations'
        ? migrated
        : { ...QUERY_DEFAULTS.annotations, refId: migrated.refId, queues: migrated.queues };
    return { ...json, target: annotationsTarget };
  },

  prepareQuery: (annotation) => annotation.target,

  processEvents: (_annotation, frames) => of(toAnnotationEvents(frames)),
};

/** Reads the frame `annotationsFrame` builds, field by field. */
export function toAnnotationEvents(frames: DataFrame[]): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const column = (name: string) => frame.fields.find((field) => field.name === name)?.values;
    const times = frame.fields.find((field) => field.type === FieldType.time && field.name === 'time')?.values ?? [];
    const ends = column('timeEnd');
    for (let row = 0; row < frame.length; row++) {
      const timeEnd: unknown = ends?.[row];
      events.push({
        time: Number(times[row]),
        ...(typeof timeEnd === 'number' ? { timeEnd, isRegion: true } : {}),
        title: String(column('title')?.[row] ?? ''),
        text: String(column('text')?.[row] ?? ''),
        tags: toTags(column('tags')?.[row]),
        color: String(column('color')?.[row] ?? 'red'),
      });
    }
  }
  return events;
}

function toTags(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? value.split(',') : [];
}
