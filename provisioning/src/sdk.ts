// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the module declarations must load before the subpath exports below
/// <reference path="./foundation-sdk.d.ts" />
// The one import point of the foundation SDK for the generator (see foundation-sdk.d.ts for why).
export * as alerting from '@grafana/grafana-foundation-sdk/alerting';
export * as barchart from '@grafana/grafana-foundation-sdk/barchart';
export * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
export * as cog from '@grafana/grafana-foundation-sdk/cog';
export * as common from '@grafana/grafana-foundation-sdk/common';
export * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
export * as expr from '@grafana/grafana-foundation-sdk/expr';
export * as piechart from '@grafana/grafana-foundation-sdk/piechart';
export * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
export * as stat from '@grafana/grafana-foundation-sdk/stat';
export * as table from '@grafana/grafana-foundation-sdk/table';
export * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
