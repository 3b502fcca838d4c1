// What the commands that open the collector's database file share: the config (signatures are not
// checked here, so no auth token is needed) and one-line failures on stderr.
import { ConfigError, loadConfig, type Config } from '../config';

/** Writes `floorboard: message` on `err` and returns `code` (the exit status). */
export function failer(err: NodeJS.WritableStream): (code: number, message: string) => number {
  return (code, message) => {
    err.write(`floorboard: ${message}\n`);
    return code;
  };
}

/** Config for reading the database; on a configuration error, the line is written and `configExit` returned. */
export function databaseConfig(env: NodeJS.ProcessEnv, err: NodeJS.WritableStream, configExit: number): Config | number {
  try {
    return loadConfig({ ...env, ...(env.TWILIO_AUTH_TOKEN ? {} : { FLOORBOARD_ALLOW_UNSIGNED: '1' }) });
  } catch (e) {
    if (e instanceof ConfigError) return failer(err)(configExit, e.message);
    throw e;
  }
}
