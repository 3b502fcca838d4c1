// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom lacks the observers @grafana/ui's Select menus and scroll containers use on mount; they
// only drive scroll shadows and sizes, so inert stand-ins are enough for editor tests.
class InertObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver ??= InertObserver;
global.ResizeObserver ??= InertObserver;
