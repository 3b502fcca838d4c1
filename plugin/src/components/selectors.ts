// Accessible names of the editors' controls, shared by the unit tests (getByLabelText) and the
// browser tests (page.getByLabel): one place to change a label without breaking either.
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
    levels: 'SLA levels',
    catalogError: 'Catalog error',
  },
  variable: {
    kind: 'Variable values',
    queue: 'Queue filter',
  },
} as const;
