// `npx floorboard provision-playlist --grafana-url URL --token T [--name N] [--interval D]`: creates
// or updates the TV playlist in Grafana (playlist/), prints what it did and the kiosk URL on stdout,
// and any failure as one line on stderr. Returns the process exit code.
import { PlaylistError, provisionPlaylist, type PlaylistOptions } from '../playlist';

export const EXIT = { ok: 0, failed: 1 } as const;

export async function runPlaylistCommand(
  opts: PlaylistOptions & { name: string },
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  try {
    const r = await provisionPlaylist(opts);
    out.write(`${r.created ? 'created' : 'updated'} playlist "${opts.name}" (${r.uid})\nopen on the TV: ${r.playUrl}\n`);
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof PlaylistError)) throw e;
    err.write(`floorboard: ${e.message}\n`);
    return EXIT.failed;
  }
}
