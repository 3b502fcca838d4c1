// Contract of `GET /api/annotations?from=&to=&queue=&timezone=` (SLA breaches as Grafana
// annotations): the response types come from their one definition in @floorboard/contract.
export { ANNOTATION_LEVELS } from '@floorboard/contract';
export type { AnnotationLevel, AnnotationsResponse, SlaAnnotation } from '@floorboard/contract';

/** Query string of `GET /api/annotations`; `queue` repeats for several queues, absent for all. */
export interface AnnotationsParams {
  from: number;
  to: number;
  queue: string[];
  /** IANA zone of the 15-minute buckets; the collector's default when absent. */
  timezone?: string;
}
