import type { DataSourceSettings } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';

import type { FloorboardOptions, FloorboardSecureOptions } from '../types/options';
import { ConfigEditor } from './ConfigEditor';
import { selectors } from './selectors';
import { layOutForCombobox } from '../testing/dom';

type Settings = DataSourceSettings<FloorboardOptions, FloorboardSecureOptions>;

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'floorboard',
    orgId: 1,
    name: 'Floorboard',
    type: 'floorboard-taskrouter-datasource',
    typeName: 'Floorboard (Twilio TaskRouter)',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData: { url: 'http://collector:3300' },
    secureJsonFields: {},
    ...overrides,
  };
}

/** Renders the editor the way Grafana does: the page owns the settings and passes every change back. */
function renderEditor(initial: Settings) {
  const changes: Settings[] = [];
  function Page() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          changes.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Page />);
  return { changes, last: () => changes[changes.length - 1] };
}

beforeAll(layOutForCombobox);

describe('ConfigEditor', () => {
  it('edits the collector URL in jsonData', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(settings({ jsonData: {} }));
    await user.type(screen.getByLabelText(selectors.config.url), 'http://floorboard:3300');
    expect(last()?.jsonData.url).toBe('http://floorboard:3300');
    expect(last()?.secureJsonData).toBeUndefined();
  });

  it('flags a URL without a scheme', async () => {
    const user = userEvent.setup();
    renderEditor(settings({ jsonData: {} }));
    await user.type(screen.getByLabelText(selectors.config.url), 'collector:3300');
    expect(screen.getByText('Start with http:// or https://')).toBeInTheDocument();
  });

  it('shows a saved token only as "configured", never its value', () => {
    renderEditor(settings({ secureJsonFields: { apiToken: true }, secureJsonData: { apiToken: 'tok-s3cret' } }));
    const token = screen.getByLabelText(selectors.config.apiToken);
    expect(token).toHaveValue('configured');
    expect(token).toBeDisabled();
    expect(document.body.innerHTML).not.toContain('tok-s3cret');
  });

  it('stores a new token in secureJsonData only', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(settings());
    await user.type(screen.getByLabelText(selectors.config.apiToken), 'tok-1');
    expect(last()?.secureJsonData).toEqual({ apiToken: 'tok-1' });
    expect(JSON.stringify(last()?.jsonData)).not.toContain('tok-1');
  });

  it('resets a configured token so a new one can be entered', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(settings({ secureJsonFields: { apiToken: true } }));
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    expect(last()?.secureJsonFields.apiToken).toBe(false);
    expect(last()?.secureJsonData?.apiToken).toBe('');
    const token = screen.getByLabelText(selectors.config.apiToken);
    expect(token).toBeEnabled();
    expect(token).toHaveValue('');
  });

  it('sets the default time zone', async () => {
    const user = userEvent.setup();
    const { last } = renderEditor(settings());
    await user.click(screen.getByLabelText(selectors.config.timezone));
    await user.keyboard('Europe/Lond');
    await user.click(await screen.findByText('Europe/London'));
    expect(last()?.jsonData).toEqual({ url: 'http://collector:3300', timezone: 'Europe/London' });
  });
});
