// Editor of a historical metric query: the metric (grouped by family, with descriptions and units),
// the grouping it allows, the bucket interval, queue/channel filters, its options, and Live.
import { Combobox, type ComboboxOption, InlineField, InlineSwitch, Input, RadioButtonGroup, Stack } from '@grafana/ui';
import React, { useId } from 'react';

import { findEntry } from '../frames';
import type { MetricTarget } from '@floorboard/contract';
import {
  type Catalog,
  type CatalogEntry,
  GROUP_BY_TITLES,
  type GroupBy,
  type MetricKind,
  METRIC_KINDS,
  type QueryOptions,
  type Stat,
  STATS,
} from '../types/wire';
import type { KindEditorProps } from './KindEditorProps';
import { NamePicker } from './NamePicker';
import { selectors } from './selectors';

const KIND_LABELS: Record<MetricKind, string> = {
  count: 'Task flow (counts)',
  duration: 'Durations',
  ratio: 'Rates',
  state: 'Real-time state over time',
  agent: 'Agents',
  breakdown: 'Breakdowns',
  drilldown: 'Drill-down tables',
};

/** The contract's grouping titles, as the editor's options show them. */
export const GROUP_BY_LABELS = GROUP_BY_TITLES;

const UNIT_LABELS: Record<string, string> = { s: 'seconds', percent: 'percent', short: 'count' };

const LABEL_WIDTH = 14;

/** Metric choices grouped by family, in METRICS.md's order. */
export function metricOptions(catalog: Catalog | undefined): Array<ComboboxOption<string>> {
  return METRIC_KINDS.flatMap((kind) =>
    (catalog?.metrics ?? [])
      .filter((entry) => entry.kind === kind)
      .map((entry): ComboboxOption<string> => ({
        label: entry.title,
        value: entry.id,
        group: KIND_LABELS[kind],
        description: `${entry.description.replace(/\.\s*$/, '')} (${UNIT_LABELS[entry.unit] ?? entry.unit})`,
      }))
  );
}

/** Picks a metric, keeping the grouping and options it allows and resetting the rest. */
export function selectMetric(query: MetricTarget, entry: CatalogEntry | undefined): MetricTarget {
  if (!entry) {
    return { ...query, metric: '' };
  }
  const groupBy: GroupBy = entry.groupBys.includes(query.groupBy)
    ? query.groupBy
    : entry.groupBys.includes('time')
      ? 'time'
      : (entry.groupBys[0] ?? 'none');
  const allowed = new Set(entry.options.map((option) => option.name));
  const options: QueryOptions = {
    ...(allowed.has('stat') && query.options.stat ? { stat: query.options.stat } : {}),
    ...(allowed.has('thresholdSeconds') && query.options.thresholdSeconds !== undefined
      ? { thresholdSeconds: query.options.thresholdSeconds }
      : {}),
  };
  return { ...query, metric: entry.id, groupBy, options };
}

export function MetricQueryEditor({ query, onChange, onRunQuery, catalog, datasource }: KindEditorProps<MetricTarget>) {
  const id = useId();
  const entry = findEntry(catalog, query.metric);
  const statOption = entry?.options.find((option) => option.name === 'stat');
  const thresholdOption = entry?.options.find((option) => option.name === 'thresholdSeconds');
  const stats = (statOption?.values ?? STATS).filter((value): value is Stat =>
    (STATS as readonly string[]).includes(value)
  );

  const change = (next: MetricTarget) => {
    onChange(next);
    onRunQuery();
  };

  return (
    <Stack direction="column" gap={0}>
      <Stack gap={0} wrap="wrap">
        <InlineField
          label={selectors.query.metric}
          htmlFor={`${id}-metric`}
          labelWidth={LABEL_WIDTH}
          tooltip={entry?.description ?? "What to measure, in the contact center's words"}
        >
          <Combobox<string>
            id={`${id}-metric`}
            options={metricOptions(catalog)}
            value={query.metric === '' ? null : query.metric}
            placeholder={catalog ? 'Choose a metric' : 'Loading metrics…'}
            loading={!catalog}
            width={36}
            onChange={(option) => change(selectMetric(query, findEntry(catalog, option.value)))}
          />
        </InlineField>
        <InlineField
          label={selectors.query.groupBy}
          htmlFor={`${id}-group-by`}
          labelWidth={LABEL_WIDTH}
          disabled={!entry}
        >
          <Combobox<GroupBy>
            id={`${id}-group-by`}
            options={(entry?.groupBys ?? [query.groupBy]).map((groupBy) => ({
              label: GROUP_BY_LABELS[groupBy],
              value: groupBy,
            }))}
            value={query.groupBy}
            disabled={!entry}
            width={22}
            onChange={(option) => change({ ...query, groupBy: option.value })}
          />
        </InlineField>
        {query.groupBy === 'time' && (
          <InlineField
            label="Interval"
            labelWidth={LABEL_WIDTH}
            tooltip="Bucket width: $__interval follows the panel's resolution; or a duration such as 15m, 1h, 1d"
          >
            <Input
              aria-label={selectors.query.interval}
              value={query.interval}
              placeholder="$__interval"
              width={16}
              onChange={(event) => onChange({ ...query, interval: event.currentTarget.value })}
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
      </Stack>
      <Stack gap={0} wrap="wrap">
        <InlineField
          label={selectors.query.queues}
          htmlFor={`${id}-queues`}
          labelWidth={LABEL_WIDTH}
          tooltip="Several queues are added together unless grouped by queue; empty means all queues"
        >
          <NamePicker
            api={datasource.api}
            source="queues"
            id={`${id}-queues`}
            placeholder="All queues"
            value={query.queues}
            onChange={(queues) => change({ ...query, queues })}
          />
        </InlineField>
        <InlineField
          label={selectors.query.channels}
          htmlFor={`${id}-channels`}
          labelWidth={LABEL_WIDTH}
          tooltip="Task channels (voice, chat, ...); empty means all channels"
        >
          <NamePicker
            api={datasource.api}
            source="channels"
            id={`${id}-channels`}
            placeholder="All channels"
            width={30}
            value={query.channels}
            onChange={(channels) => change({ ...query, channels })}
          />
        </InlineField>
      </Stack>
      <Stack gap={0} wrap="wrap">
        {statOption && (
          <InlineField label="Statistic" labelWidth={LABEL_WIDTH} tooltip={statOption.description}>
            <RadioButtonGroup<Stat>
              aria-label={selectors.query.stat}
              options={stats.map((stat) => ({ label: stat, value: stat }))}
              value={query.options.stat ?? stats.find((stat) => stat === statOption.default) ?? 'avg'}
              onChange={(stat) => change({ ...query, options: { ...query.options, stat } })}
            />
          </InlineField>
        )}
        {thresholdOption && (
          <InlineField
            label="Answered within"
            labelWidth={20}
            tooltip={`${thresholdOption.description}. Empty: the queue's target from the SLA file`}
          >
            <Input
              aria-label={selectors.query.thresholdSeconds}
              type="number"
              min={0}
              suffix="s"
              width={14}
              value={query.options.thresholdSeconds ?? ''}
              placeholder={thresholdOption.default === undefined ? 'SLA file' : String(thresholdOption.default)}
              onChange={(event) => {
                const text = event.currentTarget.value;
                const { thresholdSeconds: _previous, ...others } = query.options;
                onChange({ ...query, options: text === '' ? others : { ...others, thresholdSeconds: Number(text) } });
              }}
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
        <InlineField
          label="Live"
          labelWidth={LABEL_WIDTH}
          tooltip="Re-run the query as soon as the contact center changes, instead of on the dashboard's refresh"
        >
          <InlineSwitch
            aria-label={selectors.query.live}
            value={query.live}
            onChange={(event) => change({ ...query, live: event.currentTarget.checked })}
          />
        </InlineField>
      </Stack>
    </Stack>
  );
}
