// What an online rebuild logs while the collector serves: each phase as it begins, every tenth of
// it, and how it ended — a few lines per rebuild, however many batches it takes.
import type { Logger } from 'pino';
import type { RebuildStatus } from '@floorboard/contract';

const PHASE_TEXT: Record<NonNullable<RebuildStatus['phase']>, string> = {
  state: 'deriving state and agent activity from the log',
  facts: 'deriving task facts from the log',
  'catch-up': 'catching up with the events logged meanwhile',
  copy: 'copying the rebuilt tables into the database',
  swap: 'switching the answers to the rebuilt tables',
};

export function rebuildLogger(log: Logger): (s: RebuildStatus) => void {
  let last = '';
  return (s) => {
    if (s.state === 'done') {
      log.info(
        { events: s.events, tasks: s.tasks, eventsPerSecond: s.eventsPerSecond },
        'rebuild: done; answers now come from the rebuilt tables',
      );
      last = '';
      return;
    }
    if (s.state === 'failed') {
      log.error({ err: s.error }, 'rebuild: failed; the tables it would have replaced keep serving');
      last = '';
      return;
    }
    if (s.phase === null) return;
    const tenth = s.total > 0 ? Math.floor((s.done / s.total) * 10) : 0;
    const key = `${s.phase}|${tenth}`;
    if (key === last) return;
    last = key;
    log.info({ phase: s.phase, percent: tenth * 10, trigger: s.trigger }, `rebuild: ${PHASE_TEXT[s.phase]}`);
  };
}
