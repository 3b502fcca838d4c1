// What `backfill` and `verify` both need before talking to TaskRouter's REST API: the collector's
// configuration and SLA file, Twilio credentials and the time window — or the one-line reason not.
import { twilioClientConfig, windowFromArgs } from '../backfill/index';
import type { TwilioClientConfig } from '../backfill/twilio-client';
import { ConfigError, loadConfig, type Config } from '../config';
import { InputError } from '../errors';
import { loadSlaFile, SlaError, type Sla } from '@floorboard/contract/sla';
import { failer } from './database-config';

export interface RestSetup {
  cfg: Config;
  sla: Sla;
  twilio: TwilioClientConfig;
  window: { from: number; to: number };
}

/** Returns the setup, or writes `floorboard: <reason>` and returns the exit code to use. */
export function restSetup(
  command: string,
  args: { since?: string; from?: string; to?: string },
  env: NodeJS.ProcessEnv,
  err: NodeJS.WritableStream,
  exit: { config: number; usage: number },
): RestSetup | number {
  const fail = failer(err);
  let cfg: Config;
  let sla: Sla;
  try {
    cfg = loadConfig(env);
    sla = loadSlaFile(cfg.slaPath, cfg.slaPathExplicit).sla;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SlaError) return fail(exit.config, e.message);
    throw e;
  }
  const twilio = twilioClientConfig(cfg);
  if (!twilio)
    return fail(
      exit.config,
      `${command} needs TWILIO_ACCOUNT_SID, TWILIO_WORKSPACE_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)`,
    );
  try {
    return { cfg, sla, twilio, window: windowFromArgs(args) };
  } catch (e) {
    if (e instanceof InputError) return fail(exit.usage, e.message);
    throw e;
  }
}
