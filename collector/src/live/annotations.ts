// SLA breaches over a range, as Grafana annotations: for each queue, the 15-minute buckets where
// a number crossed its SLA file threshold (service level, abandon rate, longest wait, customers
// waiting), consecutive buckets at the same level merged into one annotation with a start and end.
import { InputError } from '../errors';
import { breachLevel, SLA_METRICS, thresholdFor, type Sla, type SlaMetric } from '@floorboard/contract/sla';
import type { SlaAnnotation } from '@floorboard/contract';
import { metricById } from '@floorboard/contract';
import type { QueryEngine } from '../metrics/engine';
import type { Zone } from '../metrics/time';

const CHECKS: { metric: SlaMetric; stat?: 'max' }[] = [
  { metric: 'service_level' },
  { metric: 'abandon_rate' },
  { metric: 'longest_wait', stat: 'max' },
  { metric: 'tasks_waiting', stat: 'max' },
];
const BUCKET = '15m';
const MAX_RANGE_DAYS = 31;

export function slaAnnotations(engine: QueryEngine, sla: Sla, zone: Zone, from: number, to: number, queues: string[]): SlaAnnotation[] {
  if (to - from > MAX_RANGE_DAYS * 86_400_000) throw new InputError(`to: annotations cover at most ${MAX_RANGE_DAYS} days`);
  const names = queues.length ? queues : engine.population.queueList().map((q) => q.name);
  const out: SlaAnnotation[] = [];
  for (const queue of names)
    for (const check of CHECKS) {
      const metric = metricById(check.metric)!;
      const th = thresholdFor(sla, check.metric, queue);
      if (!th) continue;
      const frame = engine.run({
        metric,
        from,
        to,
        groupBy: 'time',
        interval: BUCKET,
        queues: [queue],
        channels: [],
        zone,
        options: check.stat ? { stat: check.stat } : {},
      }).frames[0]!;
      const times = frame.fields[0]!.values as number[];
      const values = frame.fields[1]!.values as (number | null)[];
      let open: SlaAnnotation | null = null;
      let worst = 0;
      values.forEach((v, i) => {
        const level = breachLevel(sla, check.metric, queue, v);
        const start = times[i]!;
        const end = times[i + 1] ?? to;
        if (level !== 'ok' && open && open.level === level) {
          open.timeEnd = end;
          worst = pick(check.metric, worst, v!);
        } else {
          if (open) out.push(finish(open, worst, metric.unit, th));
          open =
            level === 'ok'
              ? null
              : {
                  time: start,
                  timeEnd: end,
                  title: '',
                  text: '',
                  tags: ['floorboard', 'sla', level, check.metric, queue],
                  queue,
                  metric: check.metric,
                  level,
                };
          worst = v ?? 0;
        }
      });
      if (open) out.push(finish(open, worst, metric.unit, th));
    }
  return out.sort((a, b) => a.time - b.time);
}

/** The worst of two values: the lower where falling below the threshold breaches (service level), else the higher. */
const pick = (m: SlaMetric, a: number, b: number) => (SLA_METRICS[m] === 'below' ? Math.min(a, b) : Math.max(a, b));

function finish(a: SlaAnnotation, worst: number, unit: string, th: { warn: number; breach: number }): SlaAnnotation {
  const title = metricById(a.metric)!.title;
  const fmt = (v: number) =>
    unit === 'percent' ? `${Math.round(v * 10) / 10}%` : unit === 's' ? `${Math.round(v)} s` : String(Math.round(v * 10) / 10);
  const limit = a.level === 'breach' ? th.breach : th.warn;
  a.title = `${a.queue}: ${title} ${a.level === 'breach' ? 'breached' : 'near'} its target`;
  a.text = `${title} reached ${fmt(worst)} (${a.level} at ${fmt(limit)})`;
  return a;
}
