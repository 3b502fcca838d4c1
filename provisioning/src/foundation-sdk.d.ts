// The foundation SDK publishes its modules only through package.json `exports`
// (`@grafana/grafana-foundation-sdk/dashboard`), which the repository's `moduleResolution: node`
// does not read. These declarations map each subpath we use onto the files it exports, so strict
// tsc checks the real SDK types; at run time Node and Vitest resolve the `exports` themselves.
declare module '@grafana/grafana-foundation-sdk/cog' {
  export * from '@grafana/grafana-foundation-sdk/dist/cog/index';
}
declare module '@grafana/grafana-foundation-sdk/common' {
  export * from '@grafana/grafana-foundation-sdk/dist/common/index';
}
declare module '@grafana/grafana-foundation-sdk/dashboard' {
  export * from '@grafana/grafana-foundation-sdk/dist/dashboard/index';
}
declare module '@grafana/grafana-foundation-sdk/timeseries' {
  export * from '@grafana/grafana-foundation-sdk/dist/timeseries/index';
}
declare module '@grafana/grafana-foundation-sdk/stat' {
  export * from '@grafana/grafana-foundation-sdk/dist/stat/index';
}
declare module '@grafana/grafana-foundation-sdk/barchart' {
  export * from '@grafana/grafana-foundation-sdk/dist/barchart/index';
}
declare module '@grafana/grafana-foundation-sdk/table' {
  export * from '@grafana/grafana-foundation-sdk/dist/table/index';
}
declare module '@grafana/grafana-foundation-sdk/piechart' {
  export * from '@grafana/grafana-foundation-sdk/dist/piechart/index';
}
declare module '@grafana/grafana-foundation-sdk/bargauge' {
  export * from '@grafana/grafana-foundation-sdk/dist/bargauge/index';
}
declare module '@grafana/grafana-foundation-sdk/alerting' {
  export * from '@grafana/grafana-foundation-sdk/dist/alerting/index';
}
declare module '@grafana/grafana-foundation-sdk/prometheus' {
  export * from '@grafana/grafana-foundation-sdk/dist/prometheus/index';
}
declare module '@grafana/grafana-foundation-sdk/expr' {
  export * from '@grafana/grafana-foundation-sdk/dist/expr/index';
}
