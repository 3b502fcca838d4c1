import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const base = { TWILIO_AUTH_TOKEN: 'tok' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const cfg = loadConfig(base);
    expect(cfg).toMatchObject({ port: 3300, timezone: 'UTC', sync: 'full', allowUnsigned: false, apiToken: undefined });
    expect(cfg.dbPath).toMatch(/data\/floorboard\.db$/);
    expect(cfg.slaPath).toMatch(/sla\.yaml$/);
    expect(cfg.slaPathExplicit).toBe(false);
    expect(loadConfig({ ...base, FLOORBOARD_SLA: '/etc/floorboard/sla.yaml' })).toMatchObject({
      slaPath: '/etc/floorboard/sla.yaml',
      slaPathExplicit: true,
    });
  });

  it('strips a trailing slash from FLOORBOARD_PUBLIC_URL', () => {
    expect(loadConfig({ ...base, FLOORBOARD_PUBLIC_URL: 'https://fb.example.com/' }).publicUrl).toBe('https://fb.example.com');
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a port number/],
    [{ PORT: '70000' }, /^PORT must be a port number/],
    [{ FLOORBOARD_TZ: 'Mars/Olympus' }, /^FLOORBOARD_TZ must be an IANA time zone/],
    [{ FLOORBOARD_PUBLIC_URL: 'ftp://x' }, /^FLOORBOARD_PUBLIC_URL must be an http\(s\) URL/],
    [{ TWILIO_ACCOUNT_SID: 'AC123' }, /^TWILIO_ACCOUNT_SID must look like AC/],
    [{ TWILIO_WORKSPACE_SID: 'nope' }, /^TWILIO_WORKSPACE_SID must look like WS/],
    [{ TWILIO_API_KEY: 'SK' + 'a'.repeat(32) }, /^TWILIO_API_SECRET is required/],
    [{ FLOORBOARD_LOG_LEVEL: 'loud' }, /^FLOORBOARD_LOG_LEVEL/],
    [{ FLOORBOARD_SYNC: 'sometimes' }, /^FLOORBOARD_SYNC/],
    [{ FLOORBOARD_GRAFANA_URL: 'localhost:3000' }, /^FLOORBOARD_GRAFANA_URL must be an http\(s\) URL/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    const run = () => loadConfig({ ...base, ...env });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('refuses to run without TWILIO_AUTH_TOKEN unless unsigned events are allowed', () => {
    expect(() => loadConfig({})).toThrow(/^TWILIO_AUTH_TOKEN is required/);
    expect(loadConfig({ FLOORBOARD_ALLOW_UNSIGNED: '1' })).toMatchObject({ authToken: undefined, allowUnsigned: true });
  });

  it('never echoes a secret in the message', () => {
    expect(() => loadConfig({ ...base, TWILIO_API_KEY: 'SK' + 'a'.repeat(32), TWILIO_API_SECRET: '' })).not.toThrow(/SK/);
  });
});
