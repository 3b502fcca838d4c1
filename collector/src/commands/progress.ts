// A progress bar on stderr when it is a terminal (cli-progress), a few plain lines otherwise.
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number, detail: string): void;
  stop(): void;
}

export function progressBar(label: string): Progress {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% | {detail}`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      stream: process.stderr,
    });
    let started = false;
    return {
      update(done, total, detail) {
        if (!started) bar.start(total, 0, { detail });
        started = true;
        bar.setTotal(total);
        bar.update(done, { detail });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastTenth = -1;
  return {
    update(done, total, detail) {
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth !== lastTenth) process.stderr.write(`${label}: ${tenth * 10}% ${detail}\n`);
      lastTenth = tenth;
    },
    stop() {},
  };
}
