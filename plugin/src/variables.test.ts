import { setBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { CollectorApi } from './api';
import { CATALOG, FakeBackendSrv, FakeTemplateSrv, makeRequest } from './testing/fakes';
import { ALL_VALUE, type VariableQuery } from '@floorboard/contract';
import { FloorboardVariableSupport, interpolateList, variableNames, variableValues } from './variables';

const templateSrv = new FakeTemplateSrv({
  queue: { current: ['Sales', 'Support'], options: ['Sales', 'Support', 'Billing'] },
  single: { current: 'Billing' },
  everything: { current: '$__all', options: ['Sales', 'Support', 'Billing'], allValue: ALL_VALUE },
  plainAll: { current: ['$__all'], options: ['Sales', 'Support', 'Billing'] },
  region: { current: 'EMEA' },
});

describe('interpolateList', () => {
  it('keeps plain names', () => {
    expect(interpolateList(['Sales', 'Support'], templateSrv)).toEqual(['Sales', 'Support']);
  });

  it('expands a multi-value variable into several names', () => {
    expect(interpolateList(['$queue'], templateSrv)).toEqual(['Sales', 'Support']);
    expect(interpolateList(['${queue}'], templateSrv)).toEqual(['Sales', 'Support']);
    expect(interpolateList(['[[queue]]'], templateSrv)).toEqual(['Sales', 'Support']);
  });

  it('mixes variables and names without duplicates', () => {
    expect(interpolateList(['$single', 'Sales', '$queue'], templateSrv)).toEqual(['Billing', 'Sales', 'Support']);
  });

  it('turns "All" with Floorboard\'s custom all value into an empty list, which the collector reads as every queue', () => {
    expect(interpolateList(['$everything'], templateSrv)).toEqual([]);
    expect(interpolateList(['Sales', '${everything:csv}'], templateSrv)).toEqual([]);
  });

  it('lists every option for "All" on a variable without a custom all value', () => {
    expect(interpolateList(['$plainAll'], templateSrv)).toEqual(['Sales', 'Support', 'Billing']);
  });

  it('splits a lone variable with a format of its own into names', () => {
    expect(interpolateList(['${queue:csv}'], templateSrv)).toEqual(['Sales', 'Support']);
  });

  it('never asks getVariables() whether "All" is chosen', () => {
    const spy = jest.spyOn(templateSrv, 'getVariables');
    interpolateList(['$queue', '$everything', 'Sales $region'], templateSrv);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('prefers the repeat panel value in scopedVars', () => {
    expect(interpolateList(['$queue'], templateSrv, { queue: { text: 'Support', value: 'Support' } })).toEqual([
      'Support',
    ]);
    expect(interpolateList(['$queue'], templateSrv, { queue: { text: 'All', value: '$__all' } })).toEqual([]);
  });

  it('interpolates a variable inside a longer name as text', () => {
    expect(interpolateList(['Sales $region'], templateSrv)).toEqual(['Sales EMEA']);
  });

  it('keeps an unknown variable as typed', () => {
    expect(interpolateList(['$nosuch'], templateSrv)).toEqual(['$nosuch']);
  });
});

describe('variables', () => {
  it('offers the dashboard variables as $name', () => {
    expect(variableNames(templateSrv)).toEqual(['$queue', '$single', '$everything', '$plainAll', '$region']);
  });

  it('asks the collector for agents of the interpolated queue filter', async () => {
    const backend = new FakeBackendSrv({ 'GET /api/workers': () => [{ name: 'Ada', sid: 'WK1' }] });
    setBackendSrv(backend.asBackendSrv());
    const api = new CollectorApi('/api/datasources/proxy/uid/floorboard');
    const workers = await variableValues(api, { refId: 'V', kind: 'workers', queue: '$queue' }, templateSrv);
    expect(workers).toEqual([{ name: 'Ada', sid: 'WK1' }]);
    expect(backend.to('/api/workers')[0]?.params).toEqual({ queue: ['Sales', 'Support'] });
  });

  it('answers a variable query with names as text and value', async () => {
    const backend = new FakeBackendSrv({
      'GET /api/queues': () => [
        { name: 'Sales', sid: 'WQ1' },
        { name: 'Support', sid: 'WQ2' },
      ],
      'GET /api/catalog': () => CATALOG,
    });
    setBackendSrv(backend.asBackendSrv());
    const support = new FloorboardVariableSupport(
      new CollectorApi('/api/datasources/proxy/uid/floorboard'),
      () => templateSrv,
      () => null
    );
    const request = makeRequest([]) as unknown as Parameters<typeof support.query>[0];
    const response = await lastValueFrom(
      support.query({ ...request, targets: [{ refId: 'V', kind: 'queues' } satisfies VariableQuery] })
    );
    expect(response.data).toEqual([
      { text: 'Sales', value: 'Sales' },
      { text: 'Support', value: 'Support' },
    ]);
  });
});
