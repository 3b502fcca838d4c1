// Grafana data sources: the Floorboard plugin (the collector behind Grafana's proxy; the API token
// stays in secureJsonData, read from the environment) and the Prometheus that alert rules query.
import { PROMETHEUS_DATASOURCE } from './alerts';
import { PROVISIONED_DATASOURCE } from './dashboards/common';
import { PLUGIN_ID } from './query';

export const COLLECTOR_URL = 'http://collector:3300';
export const PROMETHEUS_URL = 'http://prometheus:9090';

export function datasourcesFile(): object {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: PROVISIONED_DATASOURCE.name,
        uid: PROVISIONED_DATASOURCE.uid,
        type: PLUGIN_ID,
        access: 'proxy',
        isDefault: true,
        editable: true,
        jsonData: { url: COLLECTOR_URL },
        secureJsonData: { apiToken: '$FLOORBOARD_API_TOKEN' },
      },
      {
        name: PROMETHEUS_DATASOURCE.name,
        uid: PROMETHEUS_DATASOURCE.uid,
        type: PROMETHEUS_DATASOURCE.type,
        access: 'proxy',
        url: PROMETHEUS_URL,
        isDefault: false,
        editable: true,
        jsonData: { httpMethod: 'POST', timeInterval: '15s' },
      },
    ],
  };
}

/** Dashboard provider: the JSON files beside it, in the Floorboard folder. */
export function dashboardProviderFile(): object {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'floorboard',
        orgId: 1,
        folder: 'Floorboard',
        type: 'file',
        disableDeletion: false,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: '/etc/grafana/provisioning/dashboards', foldersFromFilesStructure: false },
      },
    ],
  };
}
