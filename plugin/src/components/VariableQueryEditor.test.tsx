import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';

import { layOutForCombobox } from '../testing/dom';
import { FakeBackendSrv, FakeTemplateSrv, makeDataSource } from '../testing/fakes';
import type { VariableQuery } from '@floorboard/contract';
import { selectors } from './selectors';
import { VariableQueryEditor } from './VariableQueryEditor';

function renderEditor(initial: VariableQuery) {
  const changes: VariableQuery[] = [];
  const datasource = makeDataSource();
  function Variable() {
    const [query, setQuery] = useState(initial);
    return (
      <VariableQueryEditor
        datasource={datasource}
        query={query}
        onRunQuery={() => undefined}
        onChange={(next) => {
          changes.push(next);
          setQuery(next);
        }}
      />
    );
  }
  render(<Variable />);
  return { last: () => changes[changes.length - 1] };
}

beforeAll(layOutForCombobox);

beforeEach(() => {
  setBackendSrv(new FakeBackendSrv({ 'GET /api/queues': () => [{ name: 'Sales', sid: 'WQ1' }] }).asBackendSrv());
  setTemplateSrv(new FakeTemplateSrv({ queue: { current: 'Sales' } }));
});

async function choose(label: string, option: string) {
  const user = userEvent.setup();
  await user.click(screen.getByLabelText(label));
  await user.click(within(await screen.findByRole('listbox')).getByText(option, { exact: true }));
}

describe('VariableQueryEditor', () => {
  it('lists agents of a queue chosen by variable', async () => {
    const { last } = renderEditor({ refId: 'V', kind: 'queues' });
    expect(screen.queryByLabelText(selectors.variable.queue)).not.toBeInTheDocument();
    await choose(selectors.variable.kind, 'Agents');
    expect(last()).toEqual({ refId: 'V', kind: 'workers' });
    await choose(selectors.variable.queue, '$queue');
    expect(last()).toEqual({ refId: 'V', kind: 'workers', queue: '$queue' });
  });

  it('drops the queue filter for lists it does not apply to', async () => {
    const { last } = renderEditor({ refId: 'V', kind: 'workers', queue: 'Sales' });
    await choose(selectors.variable.kind, 'Activities');
    expect(last()).toEqual({ refId: 'V', kind: 'activities' });
  });

  it('opens a variable saved as a bare string', () => {
    renderEditor('channels' as unknown as VariableQuery);
    expect(screen.getByDisplayValue('Channels')).toBeInTheDocument();
  });
});
