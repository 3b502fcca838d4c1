// Loads the BUILT plugin (dist/module.js, AMD) the way Grafana does and renders its config and
// query editors with the real @grafana/ui. BackendSrv is a fetch-based stand-in; like Grafana's,
// it calls the data-source proxy path on the page's own origin, where the page server plays
// Grafana's proxy (grafanaProxy.ts) in front of the collector. `harness.showStat` renders a
// provisioned stat panel with its data links the way Grafana 12 does (see below).
/* global define, requirejs */
(function () {
  'use strict';
  const libs = window.FloorboardGrafanaLibs;
  const { React, ReactDOMClient } = libs;
  const { data, ui, runtime, scenes, rxjs } = {
    data: libs.modules['@grafana/data'],
    ui: libs.modules['@grafana/ui'],
    runtime: libs.modules['@grafana/runtime'],
    scenes: libs.modules['@grafana/scenes'],
    rxjs: libs.modules.rxjs,
  };
  const h = React.createElement;
  const PROXY = '/api/datasources/proxy/uid/floorboard';

  Object.entries(libs.modules).forEach(([name, value]) => define(name, [], () => value));

  /** Grafana's BackendSrv.fetch, reduced to what the plugin uses, over window.fetch. */
  const backendSrv = {
    fetch(options) {
      return new rxjs.Observable((subscriber) => {
        const controller = new AbortController();
        const url = new URL(options.url, location.href);
        Object.entries(options.params || {}).forEach(([key, value]) =>
          (Array.isArray(value) ? value : [value]).forEach((item) => url.searchParams.append(key, String(item)))
        );
        window
          .fetch(url, {
            method: options.method || 'GET',
            headers: options.data === undefined ? {} : { 'Content-Type': 'application/json' },
            body: options.data === undefined ? undefined : JSON.stringify(options.data),
            signal: controller.signal,
          })
          .then(async (response) => {
            const text = await response.text();
            let body = text;
            try {
              body = JSON.parse(text);
            } catch (error) {
              // not JSON: hand over the text
            }
            const result = {
              data: body,
              status: response.status,
              statusText: response.statusText,
              ok: response.ok,
              headers: response.headers,
              redirected: false,
              type: 'basic',
              url: String(url),
              config: options,
            };
            if (response.ok) {
              subscriber.next(result);
              subscriber.complete();
            } else {
              subscriber.error(result);
            }
          })
          .catch((error) => subscriber.error({ status: 502, statusText: String(error), data: {}, config: options }));
        return () => controller.abort();
      });
    },
  };
  runtime.setBackendSrv(backendSrv);
  runtime.setTemplateSrv({
    getVariables: () => [{ name: 'queue', type: 'custom', current: { text: 'Sales', value: 'Sales' } }],
    // As Grafana's TemplateSrv.replace (public/app/features/templating/template_srv.ts): a query run
    // by a scene carries its scene object in scopedVars, and is interpolated by that scene.
    replace: (target, scopedVars, format) =>
      scopedVars && scopedVars.__sceneObject
        ? scenes.sceneGraph.interpolate(scopedVars.__sceneObject.value.valueOf(), target, scopedVars, format)
        : (target || '').replace(/\$queue|\$\{queue\}/g, 'Sales').replace('$__interval', '1m'),
    containsTemplate: (target) => /\$/.test(target || ''),
    updateTimeRange: () => undefined,
  });

  const settings = {
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
    isDefault: true,
    withCredentials: false,
    readOnly: false,
    jsonData: { url: 'http://collector:3300', timezone: 'Europe/London' },
    // Grafana reports only that the token is set; its value never comes back to the browser.
    secureJsonFields: { apiToken: true },
  };

  function request(targets) {
    const to = Date.UTC(2026, 10, 21);
    const from = to - 24 * 3600 * 1000;
    return {
      requestId: 'harness',
      app: 'dashboard',
      interval: '1m',
      intervalMs: 60000,
      range: { from: data.dateTime(from), to: data.dateTime(to), raw: { from: 'now-24h', to: 'now' } },
      scopedVars: {},
      targets,
      timezone: 'utc',
      startTime: Date.now(),
    };
  }

  function describe(responses) {
    return responses.map((response) => ({
      key: response.key,
      state: response.state,
      errors: response.errors || [],
      frames: response.data.map((frame) => ({
        refId: frame.refId,
        name: frame.name,
        fields: frame.fields.map((field) => ({
          name: field.name,
          type: field.type,
          unit: field.config.unit,
          labels: field.labels || {},
          displayName: data.getFieldDisplayName(field, frame, response.data),
          values: Array.from(field.values),
        })),
      })),
    }));
  }

  /**
   * Grafana's standard field options with their real override processors, as Grafana registers them
   * (public/app/core/components/OptionsUI/registry.tsx, getAllStandardFieldConfigs); no editors here.
   */
  const fieldConfigRegistry = new data.FieldConfigOptionsRegistry(() =>
    [
      ['unit', data.stringOverrideProcessor],
      ['min', data.numberOverrideProcessor],
      ['max', data.numberOverrideProcessor],
      ['decimals', data.numberOverrideProcessor],
      ['displayName', data.displayNameOverrideProcessor],
      ['color', data.identityOverrideProcessor],
      ['noValue', data.stringOverrideProcessor],
      ['links', data.dataLinksOverrideProcessor],
      ['mappings', data.valueMappingsOverrideProcessor],
      ['thresholds', data.thresholdsOverrideProcessor],
    ].map(([id, process]) => ({
      id,
      path: id,
      name: id,
      editor: () => null,
      override: () => null,
      process,
      settings: {},
      shouldApply: () => true,
    }))
  );

  /**
   * A provisioned stat panel as Grafana 12 shows it, on the way a click takes:
   * - a scene holds the dashboard's time range and variables; a repeated row's copy gets its own
   *   LocalValueVariable (@grafana/scenes), which is what `$queue` means inside that row;
   * - the panel's targets run through the plugin with `scopedVars.__sceneObject`, as SceneQueryRunner
   *   sends them, so `$queue` is interpolated by the scene (see the TemplateSrv above);
   * - the frames get the panel's field config by applyFieldOverrides, whose getLinksSupplier builds
   *   each value's links (packages/grafana-data/src/field/fieldOverrides.ts), with the scene as the
   *   interpolator, as VizPanel.applyFieldConfig does (grafana/scenes VizPanel.tsx);
   * - the stat panel's values come from getFieldDisplayValues and each is drawn as a BigValue inside
   *   DataLinksContextMenu (public/app/plugins/panel/stat/StatPanel.tsx), which wraps the value in
   *   one link when there is one link.
   * `spec`: { panel, time: {from, to}, variables: [{name, options, value}], rows: [{key, local?: {name, value}}] }.
   * Resolves to what each row shows and the hrefs its value links to.
   */
  function statPanel(datasource, theme) {
    let root;
    return async (spec) => {
      const { panel } = spec;
      const items = spec.rows.map((row) => {
        const state = { body: new scenes.SceneCanvasText({ text: '' }) };
        if (row.local) {
          state.$variables = new scenes.SceneVariableSet({
            variables: [new scenes.LocalValueVariable({ name: row.local.name, value: row.local.value, text: row.local.value })],
          });
        }
        return new scenes.SceneFlexItem(state);
      });
      // The scene is never mounted: interpolation only walks up from each row to the dashboard's state.
      new scenes.EmbeddedScene({
        $timeRange: new scenes.SceneTimeRange({ from: spec.time.from, to: spec.time.to, timeZone: 'utc' }),
        $variables: new scenes.SceneVariableSet({
          variables: spec.variables.map(
            (v) =>
              new scenes.CustomVariable({
                name: v.name,
                query: v.options.join(','),
                value: v.value,
                text: v.value,
                isMulti: true,
                includeAll: true,
              })
          ),
        }),
        body: new scenes.SceneFlexLayout({ children: items }),
      });

      const rendered = [];
      const shown = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        const interpolate = (text, scopedVars, format) => scenes.sceneGraph.interpolate(item, text, scopedVars, format);
        const range = scenes.sceneGraph.getTimeRange(item).state.value;
        const response = await rxjs.firstValueFrom(
          datasource
            .query({
              requestId: `stat-${i}`,
              app: 'dashboard',
              interval: '1m',
              intervalMs: 60000,
              range,
              scopedVars: { __sceneObject: { value: item, text: '__sceneObject' } },
              targets: panel.targets,
              timezone: 'utc',
              startTime: Date.now(),
            })
            .pipe(rxjs.filter((one) => one.data.length > 0))
        );
        const frames = data.applyFieldOverrides({
          data: response.data,
          fieldConfig: panel.fieldConfig,
          fieldConfigRegistry,
          replaceVariables: interpolate,
          theme,
          timeZone: 'utc',
        });
        const values = data.getFieldDisplayValues({
          data: frames,
          fieldConfig: panel.fieldConfig,
          reduceOptions: panel.options.reduceOptions,
          replaceVariables: interpolate,
          theme,
          timeZone: 'utc',
        });
        const key = spec.rows[i].key;
        shown.push({
          key,
          title: interpolate(panel.title),
          values: values.map((value) => ({
            text: data.formattedValueToString(value.display),
            hrefs: value.hasLinks && value.getLinks ? value.getLinks().map((link) => link.href) : [],
          })),
        });
        const big = (value, api) =>
          h(ui.BigValue, {
            value: value.display,
            width: 280,
            height: 140,
            theme,
            colorMode: panel.options.colorMode,
            graphMode: panel.options.graphMode,
            justifyMode: panel.options.justifyMode,
            textMode: panel.options.textMode,
            onClick: api.openMenu,
            className: api.targetClassName,
          });
        rendered.push(
          h(
            'section',
            { key, 'data-row': key, style: { width: 300, margin: 8 } },
            h('h4', null, shown[i].title),
            values.map((value, j) =>
              value.hasLinks && value.getLinks
                ? h(ui.DataLinksContextMenu, { key: j, links: value.getLinks, style: { flexGrow: 1 } }, (api) => big(value, api))
                : h('div', { key: j }, big(value, {}))
            )
          )
        );
      }
      if (!root) {
        const element = document.createElement('div');
        element.id = 'panels';
        document.body.prepend(element);
        root = ReactDOMClient.createRoot(element);
      }
      root.render(
        h(data.ThemeContext.Provider, { value: theme }, h('div', { style: { display: 'flex', padding: 24 } }, rendered))
      );
      return shown;
    };
  }

  requirejs(
    ['/dist/module.js'],
    (pluginModule) => {
      const plugin = pluginModule.plugin;
      const datasource = new plugin.DataSourceClass({ ...settings, url: PROXY, meta: { id: settings.type } });
      const { ConfigEditor, QueryEditor } = plugin.components;
      const theme = data.createTheme({ colors: { mode: 'dark' } });
      const state = { query: { refId: 'A' }, options: settings };

      window.harness = {
        state,
        showStat: statPanel(datasource, theme),
        testDatasource: () => datasource.testDatasource(),
        runQuery: () =>
          rxjs.lastValueFrom(datasource.query(request([state.query])).pipe(rxjs.toArray())).then(describe),
        /**
         * Follows a real-time value until `stopWatching()`: every frame (browser clock, value) and
         * every snapshot the data source's shared live stream emits (its seq).
         */
        watchLive: (metric, queues) => {
          const log = { frames: [], seqs: [] };
          const frames = datasource
            .query(request([{ refId: 'W', queryType: 'snapshot', metric, queues }]))
            .subscribe((response) => {
              const field = (response.data[0] ? response.data[0].fields : []).find((one) => one.type === 'number');
              log.frames.push({ at: Date.now(), value: field ? field.values[0] : null });
            });
          const seqs = datasource.snapshots.subscribe((snapshot) => log.seqs.push(snapshot.seq));
          window.harness.watched = log;
          window.harness.stopWatching = () => {
            frames.unsubscribe();
            seqs.unsubscribe();
          };
        },
        /** Subscribes to a real-time query, takes `count` frames, unsubscribes. */
        live: (count) =>
          rxjs
            .lastValueFrom(
              datasource
                .query(request([{ refId: 'L', queryType: 'snapshot', metric: 'tasks_waiting', queues: ['Sales'] }]))
                .pipe(rxjs.take(count), rxjs.toArray())
            )
            .then(describe),
      };

      function App() {
        const [options, setOptions] = React.useState(settings);
        const [query, setQuery] = React.useState(state.query);
        const section = (title, child) =>
          h(
            'section',
            {
              style: {
                marginBottom: 24,
                padding: 16,
                border: `1px solid ${theme.colors.border.weak}`,
                borderRadius: 4,
              },
            },
            h('h3', null, title),
            child
          );
        return h(
          data.ThemeContext.Provider,
          { value: theme },
          h(ui.GlobalStyles),
          h(
            'main',
            { style: { padding: 24, width: 1100 } },
            h('h2', null, 'Floorboard (Twilio TaskRouter)'),
            section(
              'Data source settings',
              h(ConfigEditor, {
                options,
                onOptionsChange: (next) => {
                  state.options = next;
                  setOptions(next);
                },
              })
            ),
            section(
              'Panel query',
              h(QueryEditor, {
                datasource,
                query,
                onRunQuery: () => undefined,
                onChange: (next) => {
                  state.query = next;
                  setQuery(next);
                },
              })
            )
          )
        );
      }

      ReactDOMClient.createRoot(document.getElementById('root')).render(h(App));
      document.body.dataset.ready = 'true';
    },
    (error) => {
      document.body.dataset.error = String(error);
    }
  );
})();
