// SLA file -> Grafana threshold steps (green / amber / red), direction-aware, so a panel turns the
// colour the collector's breach flag says (`breachLevel` in @floorboard/contract/sla).
import { SLA_METRICS, thresholdFor, type Sla, type SlaMetric, type Threshold } from '@floorboard/contract/sla';
import { dashboard } from './sdk';

export const COLOURS = { ok: 'green', warn: 'orange', breach: 'red' } as const;

/**
 * Grafana colours a value with the highest step whose value is <= it, while the collector calls a
 * "bad when low" number a breach when it is <= the breach figure (0 agents available is red, not
 * amber). For those metrics a step therefore sits just above the SLA number. The offset is far below
 * any displayed precision (percent, seconds, agents).
 */
export const BELOW_STEP_OFFSET = 1e-6;

export function isSlaMetric(metric: string): metric is SlaMetric {
  return metric in SLA_METRICS;
}

/** The step values a threshold becomes on a panel: [amber from, red from] ("above") or [red below, amber below] ("below"). */
export function stepsFor(metric: SlaMetric, t: Threshold): dashboard.Threshold[] {
  if (SLA_METRICS[metric] === 'above') {
    const steps: dashboard.Threshold[] = [{ value: null, color: COLOURS.ok }];
    if (t.warn < t.breach) steps.push({ value: t.warn, color: COLOURS.warn });
    steps.push({ value: t.breach, color: COLOURS.breach });
    return steps;
  }
  const above = (n: number) => Number((n + BELOW_STEP_OFFSET).toFixed(6));
  const steps: dashboard.Threshold[] = [{ value: null, color: COLOURS.breach }];
  if (t.warn > t.breach) steps.push({ value: above(t.breach), color: COLOURS.warn });
  steps.push({ value: above(t.warn), color: COLOURS.ok });
  return steps;
}

/** The SLA threshold of `metric` for one queue (its override, else the default), or for all queues (`null`). */
export function slaThreshold(sla: Sla, metric: string, queue: string | null): Threshold | undefined {
  return isSlaMetric(metric) ? thresholdFor(sla, metric, queue) : undefined;
}

/** Absolute threshold config for a panel showing `metric`, or undefined when the SLA file sets none. */
export function slaThresholds(sla: Sla, metric: string, queue: string | null): dashboard.ThresholdsConfigBuilder | undefined {
  const t = slaThreshold(sla, metric, queue);
  if (!t || !isSlaMetric(metric)) return undefined;
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(stepsFor(metric, t));
}

/** One sentence for a panel description: where the colours come from. */
export function slaSentence(sla: Sla, metric: string, queue: string | null, format: (n: number) => string): string {
  const t = slaThreshold(sla, metric, queue);
  if (!t || !isSlaMetric(metric)) return '';
  const dir = SLA_METRICS[metric] === 'above' ? 'at or above' : 'at or below';
  const whose = queue === null ? '' : ` for ${queue}`;
  return ` SLA${whose} (sla.yaml): amber ${dir} ${format(t.warn)}, red ${dir} ${format(t.breach)}.`;
}

/** Data freshness turns amber when the newest event is this old (seconds). */
export const DATA_AGE_WARN_SECONDS = 120;

/**
 * Colours of the data-age panel: green, amber after 2 minutes, red from `noEventsMinutes` (when the
 * "No TaskRouter events" alert fires). A `noEventsMinutes` of 2 or less goes straight to red.
 */
export function dataAgeThresholds(sla: Sla): dashboard.ThresholdsConfigBuilder {
  const breach = sla.noEventsMinutes * 60;
  const steps: dashboard.Threshold[] = [{ value: null, color: COLOURS.ok }];
  if (DATA_AGE_WARN_SECONDS < breach) steps.push({ value: DATA_AGE_WARN_SECONDS, color: COLOURS.warn });
  steps.push({ value: breach, color: COLOURS.breach });
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}
