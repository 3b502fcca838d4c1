// jsdom lays nothing out and has no canvas: every element measures 0×0, so the Combobox menus of
// @grafana/ui (virtualised lists sized with canvas text metrics) would render no option. Give
// elements a size, as @grafana/ui's own Combobox tests do
// (packages/grafana-ui/src/components/Combobox/Combobox.test.tsx), and text a width.
export function layOutForCombobox(): void {
  Object.defineProperty(Element.prototype, 'getBoundingClientRect', {
    configurable: true,
    value: () => ({ width: 120, height: 120, top: 0, left: 0, bottom: 0, right: 0, x: 0, y: 0, toJSON: () => ({}) }),
  });
  for (const side of ['offsetWidth', 'offsetHeight', 'clientWidth', 'clientHeight'] as const) {
    Object.defineProperty(HTMLElement.prototype, side, { configurable: true, get: () => 120 });
  }
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
    configurable: true,
    value: () => ({ font: '', measureText: (text: string) => ({ width: text.length * 7 }) }),
  });
}
