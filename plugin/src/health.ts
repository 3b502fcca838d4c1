// "Save & test": asks the collector for `/api/health` through the proxy and says in one sentence
// whether it is connected, with the reason when it is not.
import { dateTimeFormat, type TestDataSourceResponse } from '@grafana/data';

import { type CollectorApi, CollectorError } from './api';

export async function testConnection(
  api: CollectorApi,
  collectorUrl: string | undefined
): Promise<TestDataSourceResponse> {
  if (!collectorUrl || collectorUrl.trim() === '') {
    return { status: 'error', message: 'Enter the collector URL, e.g. http://collector:3300' };
  }
  try {
    const health = await api.health();
    if (typeof health?.eventsStored !== 'number') {
      return {
        status: 'error',
        message: `${collectorUrl} answered, but not like a Floorboard collector (no eventsStored in /api/health)`,
      };
    }
    if (health.eventsStored === 0 || !health.lastEventAt) {
      return {
        status: 'warning',
        message:
          'Connected, but no events yet: point TaskRouter\'s Event Callback URL at the collector\'s /webhooks/taskrouter (or run "npm run demo")',
      };
    }
    const lastEvent = dateTimeFormat(health.lastEventAt, { format: 'YYYY-MM-DD HH:mm:ss' });
    return {
      status: 'success',
      message: `Connected: ${health.eventsStored.toLocaleString('en-US')} events stored, last event at ${lastEvent}`,
    };
  } catch (error) {
    if (error instanceof CollectorError && error.reason === 'unreachable') {
      const status = error.status && error.status > 0 ? ` (HTTP ${error.status})` : '';
      return {
        status: 'error',
        message: `Cannot reach the collector at ${collectorUrl}${status}: check the URL and that the collector is running`,
      };
    }
    return { status: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}
