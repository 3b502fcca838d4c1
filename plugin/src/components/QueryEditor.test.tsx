import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import React, { useState } from 'react';

import { layOutForCombobox } from '../testing/dom';
import { CATALOG, FakeBackendSrv, FakeTemplateSrv, makeDataSource } from '../testing/fakes';
import { type FloorboardQuery, type MetricTarget, QUERY_DEFAULTS } from '@floorboard/contract';
import { QueryEditor } from './QueryEditor';
import { selectors } from './selectors';

function renderEditor(initial: FloorboardQuery) {
  const datasource = makeDataSource();
  const changes: FloorboardQuery[] = [];
  const onRunQuery = jest.fn();
  function Panel() {
    const [query, setQuery] = useState(initial);
    return (
      <QueryEditor
        datasource={datasource}
        query={query}
        onRunQuery={onRunQuery}
        onChange={(next) => {
          changes.push(next);
          setQuery(next);
        }}
      />
    );
  }
  render(<Panel />);
  return { last: () => changes[changes.length - 1] as MetricTarget, onRunQuery };
}

/** The label of a Combobox option (not its description, nor a MultiCombobox's checkbox). */
const optionLabel = (option: HTMLElement) =>
  option.querySelector('[class*="combobox-option-label"]')?.textContent ?? '';

/** Opens a Grafana Combobox by its accessible name and returns the visible option labels. */
async function openOptions(user: UserEvent, label: string): Promise<string[]> {
  await user.click(screen.getByLabelText(label));
  const menu = await screen.findByRole('listbox');
  return within(menu).getAllByRole('option').map(optionLabel);
}

async function choose(user: UserEvent, label: string, option: string) {
  await user.click(screen.getByLabelText(label));
  const menu = await screen.findByRole('listbox');
  await user.click(within(menu).getByText(option, { exact: true }));
}

const metricQuery = (overrides: Partial<MetricTarget> = {}): MetricTarget => ({
  ...QUERY_DEFAULTS.metric,
  refId: 'A',
  ...overrides,
});

// A loaded CI machine can take more than the default second to load the catalog and render.
configure({ asyncUtilTimeout: 5000 });
beforeAll(layOutForCombobox);

beforeEach(() => {
  setBackendSrv(
    new FakeBackendSrv({
      'GET /api/catalog': () => CATALOG,
      'GET /api/queues': () => [
        { name: 'Sales', sid: 'WQ1' },
        { name: 'Support', sid: 'WQ2' },
      ],
      'GET /api/channels': () => [
        { name: 'voice', sid: 'TC1' },
        { name: 'chat', sid: 'TC2' },
      ],
    }).asBackendSrv()
  );
  setTemplateSrv(new FakeTemplateSrv({ queue: { current: 'Sales', options: ['Sales', 'Support'] } }));
});

describe('QueryEditor: metric', () => {
  it('offers the catalog’s metrics by family, with titles, descriptions and units', async () => {
    const user = userEvent.setup();
    renderEditor(metricQuery());
    await waitFor(() => expect(screen.getByLabelText(selectors.query.metric)).toBeEnabled());
    await screen.findByPlaceholderText('Choose a metric');
    expect(await openOptions(user, selectors.query.metric)).toEqual([
      'Tasks handled',
      'Waiting time',
      'Service level',
      'Customers waiting',
      'Occupancy',
      'Tasks handled by agent',
    ]);
    const menu = screen.getByRole('listbox');
    expect(within(menu).getByText('Durations')).toBeInTheDocument();
    const avgWait = CATALOG.metrics.find((m) => m.id === 'avg_wait')!;
    expect(within(menu).getByText(`${avgWait.description.replace(/\.$/, '')} (seconds)`)).toBeInTheDocument();
  });

  it('limits group-by to what the chosen metric allows', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(metricQuery());
    await screen.findByPlaceholderText('Choose a metric');
    await choose(user, selectors.query.metric, 'Waiting time');
    expect(last().metric).toBe('avg_wait');
    expect(await openOptions(user, selectors.query.groupBy)).toEqual([
      'Total',
      'Over time',
      'Queue',
      'Date',
      'Day of week',
      'Hour of day',
      'Channel',
    ]);
    await user.keyboard('{Escape}');
    await choose(user, selectors.query.metric, 'Occupancy');
    expect(await openOptions(user, selectors.query.groupBy)).toEqual(['Agent', 'Total', 'Queue']);
  });

  it('resets a group-by the new metric does not allow', async () => {
    const user = userEvent.setup();
    const { last, onRunQuery } = renderEditor(
      metricQuery({ metric: 'avg_wait', groupBy: 'hour_of_day', options: { stat: 'max' } })
    );
    await screen.findByDisplayValue('Waiting time');
    await choose(user, selectors.query.metric, 'Occupancy');
    expect(last()).toMatchObject({ metric: 'agent_occupancy', groupBy: 'worker', options: {} });
    await choose(user, selectors.query.metric, 'Tasks handled by agent');
    expect(last()).toMatchObject({ metric: 'agent_tasks_handled', groupBy: 'worker' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('keeps a group-by the new metric allows', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(metricQuery({ metric: 'avg_wait', groupBy: 'queue' }));
    await screen.findByDisplayValue('Waiting time');
    await choose(user, selectors.query.metric, 'Customers waiting');
    expect(last()).toMatchObject({ metric: 'tasks_waiting', groupBy: 'queue' });
  });

  it('shows the interval only when grouping over time, defaulting to $__interval', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(metricQuery({ metric: 'avg_wait' }));
    await screen.findByDisplayValue('Waiting time');
    const interval = screen.getByLabelText(selectors.query.interval);
    expect(interval).toHaveValue('$__interval');
    await user.clear(interval);
    await user.type(interval, '15m');
    expect(last().interval).toBe('15m');
    await choose(user, selectors.query.groupBy, 'Queue');
    expect(screen.queryByLabelText(selectors.query.interval)).not.toBeInTheDocument();
  });

  it('accepts template variables and free text as queues', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(metricQuery({ metric: 'avg_wait' }));
    await screen.findByDisplayValue('Waiting time');
    expect(await openOptions(user, selectors.query.queues)).toEqual(['$queue', 'Sales', 'Support']);
    await user.click(within(screen.getByRole('listbox')).getByText('$queue', { exact: true }));
    expect(last().queues).toEqual(['$queue']);
    await user.type(screen.getByLabelText(selectors.query.queues), 'Night shift');
    await user.click(await within(screen.getByRole('listbox')).findByText('Night shift', { exact: true }));
    expect(last().queues).toEqual(['$queue', 'Night shift']);
  });

  it('offers options only where the catalog lists them', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(metricQuery({ metric: 'tasks_waiting' }));
    await screen.findByDisplayValue('Customers waiting');
    expect(screen.queryByLabelText(selectors.query.thresholdSeconds)).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('last'));
    expect(last().options).toEqual({ stat: 'last' });

    await choose(user, selectors.query.metric, 'Service level');
    expect(screen.queryByText('Statistic')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText(selectors.query.thresholdSeconds), '30');
    expect(last().options).toEqual({ thresholdSeconds: 30 });
  });

  it('turns Live on', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(metricQuery({ metric: 'avg_wait' }));
    await screen.findByDisplayValue('Waiting time');
    await user.click(screen.getByLabelText(selectors.query.live));
    expect(last().live).toBe(true);
  });

  it('shows an old saved query in today’s editor', async () => {
    renderEditor({
      refId: 'A',
      metricId: 'service_level',
      group: 'queue',
      queue: 'Support',
    } as unknown as FloorboardQuery);
    expect(await screen.findByDisplayValue('Service level')).toBeInTheDocument();
    expect(screen.getByText('Support')).toBeInTheDocument();
  });
});

describe('QueryEditor: kinds', () => {
  it('switches to a real-time query, keeping the queues', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(metricQuery({ metric: 'avg_wait', queues: ['Sales'] }));
    await screen.findByDisplayValue('Waiting time');
    await user.click(screen.getByLabelText('Real-time'));
    expect(last()).toEqual({ refId: 'A', queryType: 'snapshot', metric: 'tasks_waiting', queues: ['Sales'] });
    expect(screen.getByLabelText(selectors.query.liveValue)).toBeInTheDocument();
    expect(screen.queryByLabelText(selectors.query.groupBy)).not.toBeInTheDocument();
  });

  it('edits SLA-breach annotation levels', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor({ ...QUERY_DEFAULTS.annotations, refId: 'A' });
    await choose(user, selectors.query.levels, 'Warnings (amber)');
    expect(last()).toMatchObject({ queryType: 'annotations', levels: ['breach', 'warn'] });
  });

  it('explains when the catalog cannot be loaded', async () => {
    setBackendSrv(new FakeBackendSrv({}).asBackendSrv());
    renderEditor(metricQuery());
    expect(await screen.findByText('Could not load the metric catalog')).toBeInTheDocument();
  });
});
