// Builds the collector's services once — database, SLA, ingest pipeline and its projections, query
// engine, live hub — for the server and for every command that needs them (backfill, verify,
// bench), without an HTTP app. The shape of bluesky-social/feed-generator's `FeedGenerator.create`.
import type { Logger } from 'pino';
import type { Config } from './config';
import { IngestCounters } from './ingest/counters';
import { IngestService } from './ingest/service';
import { QueryEngine } from './metrics/engine';
import { LiveHub } from './live/hub';
import { prometheusExporter, type PrometheusExporter } from './live/prometheus';
import { MetricsProjection } from './metrics/projection';
import { SnapshotService } from './live/snapshot';
import { loadSlaFile, SlaError, type Sla } from '@floorboard/contract/sla';
import { parseExpression } from './taskrouter/expression';
import { openDb, type Db } from './store/db';
import type { Dims } from './store/dims';
import { StateProjection } from './store/state';
import { OnlineRebuild } from './rebuild/online';
import { rebuildLogger } from './rebuild/log';

export interface Context {
  cfg: Config;
  log: Logger;
  sla: Sla;
  /** The SLA file `sla` came from, or null for the built-in defaults. */
  slaFile: string | null;
  db: Db;
  dims: Dims;
  /** Commits events and folds them into state and metric facts in the same transaction. */
  ingest: IngestService;
  /** Webhook outcomes by transport and reason, for /metrics. */
  counters: IngestCounters;
  metrics: MetricsProjection;
  engine: QueryEngine;
  hub: LiveHub;
  /** Computes snapshots: the hub's live one, and the floor at a past instant (GET /api/snapshot?at=). */
  snapshots: SnapshotService;
  /** The Prometheus exposition GET /metrics serves. */
  prometheus: PrometheusExporter;
  /** Re-derives the derived tables from the log while serving (POST /api/admin/rebuild, a migration at start). */
  rebuild: OnlineRebuild;
  /** Stops the live hub and closes the database (after the caller has drained ingest). */
  close(): void;
}

export interface ContextOptions {
  cfg: Config;
  log: Logger;
  /** The SLA file's contents; read from `cfg.slaPath` when absent. */
  sla?: Sla;
  /** Where `sla` came from (null: built-in defaults); `cfg.slaPath` when `sla` is given without it. */
  slaFile?: string | null;
  /** An open database; opened from `cfg.dbPath` when absent (and then closed by `close`). */
  db?: Db;
}

export function createContext({ cfg, log, db: given, ...opts }: ContextOptions): Context {
  const { sla, path: slaFile } = opts.sla
    ? { sla: opts.sla, path: opts.slaFile === undefined ? cfg.slaPath : opts.slaFile }
    : loadSlaFile(cfg.slaPath, cfg.slaPathExplicit);
  if (slaFile === null && !opts.sla)
    log.info({ path: cfg.slaPath }, 'no SLA file at the default path; using the built-in SLA defaults (FLOORBOARD_SLA names another file)');
  const db = given ?? openDb(cfg.dbPath, { sync: cfg.sync });
  const metrics = new MetricsProjection(db, sla);
  const dims = metrics.facts.dims;
  const ingest = new IngestService(db, [new StateProjection(db), metrics]);
  const engine = new QueryEngine(db, dims, sla);
  /** An SLA file that contradicts the stored data or TaskRouter's grammar stops start-up in one line. */
  const refuse = (why: string): never => {
    if (!given) db.close();
    throw new SlaError(`${slaFile ?? 'sla.yaml'}: ${why}`);
  };
  for (const [type, expression] of Object.entries(sla.taskTypes))
    try {
      parseExpression(expression);
    } catch (err) {
      refuse(`taskTypes.${type}: not a TaskRouter expression (${(err as Error).message})`);
    }
  const clash = engine.population.groupClash();
  if (clash)
    refuse(
      `groups.${clash.name}: the group "${clash.name}" has the name of the TaskRouter queue "${clash.name}"${clash.sid ? ` (${clash.sid})` : ''}; rename the group`,
    );
  const snapshots = new SnapshotService(db, dims, engine.population, sla, cfg.timezone, () => ingest.log.counts().lastEventMs);
  const hub = new LiveHub(snapshots);
  ingest.on('committed', () => hub.changed());
  ingest.on('projectionFailed', (sid, err) =>
    sid === null
      ? log.error({ err: (err as Error).message }, 'the projector could not write; it resumes at the next commit')
      : log.error(
          { sid, err: (err as Error).message },
          'an event could not be folded into the metrics; it stays in the log (npx floorboard rebuild re-derives it after a fix)',
        ),
  );
  const counters = new IngestCounters(log);
  const prometheus = prometheusExporter({
    db,
    sla,
    timezone: cfg.timezone,
    hub,
    log: ingest.log,
    quarantine: ingest.quarantine,
    projector: ingest.projector,
    counters,
    metrics,
  });
  const rebuild = new OnlineRebuild(db, sla, {
    // The swap's turn: nothing cached from the old tables may answer, and the events logged since
    // the shadow's position are projected into the new ones before any request is read.
    swapped: () => {
      metrics.reset();
      engine.population.forgetCaches();
      try {
        ingest.projector.catchUp();
      } catch (err) {
        log.error({ err: (err as Error).message }, 'the projector could not write after the rebuild; it resumes at the next commit');
      }
      hub.refresh();
    },
    progress: rebuildLogger(log),
  });
  return {
    cfg,
    log,
    sla,
    slaFile,
    db,
    dims,
    ingest,
    counters,
    metrics,
    engine,
    hub,
    snapshots,
    prometheus,
    rebuild,
    close() {
      hub.close();
      if (!given && db.open) db.close();
    },
  };
}
