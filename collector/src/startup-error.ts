// Why a command could not start, as the one line every command prints (`npm start`, `serve`,
// `demo`, …) and its exit status: 78 (EX_CONFIG) for a bad setting or SLA file, 1 otherwise.
import { ConfigError } from './config';
import { SlaError } from '@floorboard/contract/sla';

export interface StartupFailure {
  message: string;
  exitCode: 1 | 78;
}

export function describeStartupError(err: unknown): StartupFailure {
  if (err instanceof ConfigError || err instanceof SlaError) return { message: err.message, exitCode: 78 };
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const detail = (e?.message ?? String(err)).split('\n')[0];
  if (e?.code === 'EADDRINUSE')
    return {
      message: `port ${e.port ?? '?'} is already in use${e.address ? ` on ${e.address}` : ''} (another collector or demo?): stop it, or choose another port with PORT or --port`,
      exitCode: 1,
    };
  if (e?.code === 'EACCES' && e.syscall === 'listen')
    return { message: `port ${e.port ?? '?'} needs privileges to listen on: choose one above 1023 with PORT or --port`, exitCode: 1 };
  if (e?.code === 'SQLITE_CANTOPEN') return { message: `FLOORBOARD_DB cannot be opened (${detail})`, exitCode: 1 };
  return { message: detail ?? 'unknown error', exitCode: 1 };
}

/** Prints `floorboard: <why>` on stderr and exits with the failure's status. */
export function exitWithStartupError(err: unknown): never {
  const { message, exitCode } = describeStartupError(err);
  process.stderr.write(`floorboard: ${message}\n`);
  process.exit(exitCode);
}
