// When to stop: SIGTERM or SIGINT from whoever sends them (a terminal's Ctrl-C reaches the whole
// process group, npm forwards both to its script, systemd and `docker stop` send SIGTERM), or the
// npm process that started us going away. Repeated signals (Ctrl-C under npm arrives twice) never
// cut a graceful stop short.

/** How often to check that the npm process that started us is still there, ms. */
const PARENT_CHECK_MS = 250;

export interface StopRequest {
  /** Aborted once a stop is requested; `signal.reason` says why (`SIGTERM`, `SIGINT`, …). */
  signal: AbortSignal;
  /** Removes the listeners (call when the work is done). */
  dispose(): void;
}

export function listenForStop(): StopRequest {
  const ctrl = new AbortController();
  const request = (reason: string) => {
    if (!ctrl.signal.aborted) ctrl.abort(reason);
  };
  process.on('SIGTERM', request);
  process.on('SIGINT', request);
  // Under npm (`npm start`, `npx floorboard …`) our parent is npm or the `sh -c` it spawns. npm
  // forwards SIGTERM to that shell only; a shell that did not `exec` us dies of it and leaves us
  // running, re-parented. A changed parent means whoever ran us is gone: stop as if signalled.
  let watch: NodeJS.Timeout | undefined;
  if (process.env.npm_lifecycle_event !== undefined) {
    const parent = process.ppid;
    watch = setInterval(() => {
      if (process.ppid !== parent) request('SIGTERM (the npm process that started the collector exited)');
    }, PARENT_CHECK_MS).unref();
  }
  return {
    signal: ctrl.signal,
    dispose() {
      process.off('SIGTERM', request);
      process.off('SIGINT', request);
      clearInterval(watch);
    },
  };
}

/** Runs `work` until it ends or a stop is requested (its signal aborts), then removes the listeners. */
export async function untilStopped<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = listenForStop();
  try {
    return await work(stop.signal);
  } finally {
    stop.dispose();
  }
}
