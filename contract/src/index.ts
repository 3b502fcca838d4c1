// @floorboard/contract: what the collector, the Grafana plugin and provisioning agree on — the
// HTTP wire types and the metric catalogue. Browser-safe: the SLA file (which reads files) is the
// separate entry `@floorboard/contract/sla`.
export * from './catalog';
export * from './query-model';
export * from './wire';
