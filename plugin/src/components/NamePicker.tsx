// Multi-select of names from the collector (queues, channels) that also accepts template variables
// (`$queue`) and free text, since a queue may not have had traffic yet.
import { getTemplateSrv } from '@grafana/runtime';
import { type ComboboxOption, MultiCombobox } from '@grafana/ui';
import React, { useEffect, useMemo, useState } from 'react';

import type { CollectorApi } from '../api';
import type { VariableValue } from '../types/wire';
import { variableNames } from '../variables';

/** Which collector list feeds the picker. */
export type NameSource = 'queues' | 'channels';

interface Props {
  api: CollectorApi;
  source: NameSource;
  value: string[];
  onChange: (names: string[]) => void;
  /** The input's id: the surrounding InlineField's `htmlFor`, which names it. */
  id: string;
  placeholder: string;
  width?: number;
}

export function useCollectorNames(
  api: CollectorApi,
  source: NameSource
): { names: string[]; loading: boolean; error?: string } {
  const [state, setState] = useState<{ names: string[]; loading: boolean; error?: string }>({
    names: [],
    loading: true,
  });
  useEffect(() => {
    let current = true;
    const load: () => Promise<VariableValue[]> = source === 'queues' ? () => api.queues() : () => api.channels();
    load().then(
      (values) => current && setState({ names: values.map((value) => value.name), loading: false }),
      (error: unknown) =>
        current &&
        setState({ names: [], loading: false, error: error instanceof Error ? error.message : String(error) })
    );
    return () => {
      current = false;
    };
  }, [api, source]);
  return state;
}

export function NamePicker({ api, source, value, onChange, id, placeholder, width = 40 }: Props) {
  const { names, loading, error } = useCollectorNames(api, source);
  const options = useMemo(() => {
    const variables = variableNames(getTemplateSrv());
    const known = new Set([...variables, ...names]);
    const typed = value.filter((name) => !known.has(name));
    return [
      ...variables.map((name): ComboboxOption<string> => ({
        label: name,
        value: name,
        description: 'Template variable',
      })),
      ...names.map((name): ComboboxOption<string> => ({ label: name, value: name })),
      ...typed.map((name): ComboboxOption<string> => ({ label: name, value: name })),
    ];
  }, [names, value]);

  return (
    <MultiCombobox<string>
      id={id}
      options={options}
      value={value}
      loading={loading}
      createCustomValue
      placeholder={error ? `${placeholder} (list unavailable: type a name)` : placeholder}
      width={width}
      onChange={(items) => onChange(items.map((item) => item.value).filter((name) => name !== ''))}
    />
  );
}
