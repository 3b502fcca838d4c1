// `@floorboard/collector/testing`: a real collector for other workspaces' tests (real HTTP on an
// ephemeral port, a real SQLite file) and the TaskRouter event fixtures to feed it.
export * from './fixtures';
export * from './harness';
