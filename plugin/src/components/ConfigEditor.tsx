// Data source settings: the collector's URL (the proxy route's target), its API token (write-only,
// kept in secureJsonData) and the contact center's time zone for day and hour buckets.
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Combobox, type ComboboxOption, InlineField, Input, SecretInput, Stack, Text } from '@grafana/ui';
import React, { type ChangeEvent, useId } from 'react';

import type { FloorboardOptions, FloorboardSecureOptions } from '../types/options';
import { selectors } from './selectors';

type Props = DataSourcePluginOptionsEditorProps<FloorboardOptions, FloorboardSecureOptions>;

const LABEL_WIDTH = 22;

/** Every IANA zone the browser knows (and the saved one, if it is not among them). */
function zoneOptions(current: string | undefined): Array<ComboboxOption<string>> {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = current && !zones.includes(current) ? [current, ...zones] : zones;
  return all.map((zone) => ({ label: zone, value: zone }));
}

export function isCollectorUrl(url: string): boolean {
  return /^https?:\/\/[^\s/]+/.test(url.trim());
}

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secureJsonData: FloorboardSecureOptions = options.secureJsonData ?? {};
  const url = jsonData.url ?? '';

  const onUrlChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, jsonData: { ...jsonData, url: event.target.value.trim() } });
  };
  const onTokenChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken: event.target.value } });
  };
  const onTokenReset = () => {
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiToken: false },
      secureJsonData: { ...secureJsonData, apiToken: '' },
    });
  };
  const zoneId = useId();
  const onZoneChange = (option: ComboboxOption<string> | null) => {
    const timezone = option?.value ?? '';
    onOptionsChange({ ...options, jsonData: { ...jsonData, timezone: timezone === '' ? undefined : timezone } });
  };

  return (
    <Stack direction="column" gap={1}>
      <Text element="p" color="secondary">
        Grafana calls the Floorboard collector for you through its data source proxy; the token never reaches a browser.
      </Text>
      <InlineField
        label="Collector URL"
        labelWidth={LABEL_WIDTH}
        tooltip="Where Grafana's server reaches the collector, e.g. http://collector:3300"
        invalid={url !== '' && !isCollectorUrl(url)}
        error="Start with http:// or https://"
        required
      >
        <Input
          aria-label={selectors.config.url}
          value={url}
          placeholder="http://collector:3300"
          width={44}
          onChange={onUrlChange}
        />
      </InlineField>
      <InlineField
        label="API token"
        labelWidth={LABEL_WIDTH}
        tooltip="The collector's FLOORBOARD_API_TOKEN; leave empty if it has none. Stored encrypted, sent only by Grafana's server."
      >
        <SecretInput
          aria-label={selectors.config.apiToken}
          isConfigured={Boolean(secureJsonFields?.apiToken)}
          value={secureJsonData.apiToken ?? ''}
          placeholder="FLOORBOARD_API_TOKEN"
          width={44}
          onReset={onTokenReset}
          onChange={onTokenChange}
        />
      </InlineField>
      <InlineField
        label={selectors.config.timezone}
        htmlFor={zoneId}
        labelWidth={LABEL_WIDTH}
        tooltip="The contact center's zone for 'today', day and hour buckets when a dashboard's time zone is 'Default'"
      >
        <Combobox<string>
          id={zoneId}
          options={zoneOptions(jsonData.timezone)}
          value={jsonData.timezone ?? null}
          placeholder="Collector default (FLOORBOARD_TZ)"
          width={44}
          createCustomValue
          isClearable
          onChange={onZoneChange}
        />
      </InlineField>
    </Stack>
  );
}
