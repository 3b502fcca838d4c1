// Accessible names of the editors' controls, shared by the unit tests (getByLabelText) and the
// browser tests (page.getByLabel): one place to change a label without breaking either. The
// Combobox pickers take their name from the visible InlineField label (`htmlFor`), so for them
// these strings are also the labels shown.
export const selectors = {
  config: {
    url: 'Collector URL',
    apiToken: 'API token',
    timezone: 'Default time zone',
  },
  query: {
    queryType: 'Query type',
    metric: 'Metric',
    groupBy: 'Group by',
    interval: 'Interval',
    queues: 'Queues',
    channels: 'Channels',
    stat: 'Statistic',
    thresholdSeconds: 'Answered within (seconds)',
    live: 'Live',
    liveValue: 'Real-time value',
    atRangeEnd: 'At the time range end',
    levels: 'SLA levels',
    catalogError: 'Catalog error',
  },
  variable: {
    kind: 'Values',
    queue: 'Of queue',
  },
} as const;
