#!/usr/bin/env node
// Container health check (Dockerfile HEALTHCHECK, docker-compose `healthcheck`): asks the running
// collector's GET /api/health on this machine, with FLOORBOARD_API_TOKEN when one is set. Exit 0
// when it answers {"status":"ok"}, else 1 with one line saying why. Plain JavaScript, no build.
const port = process.env.PORT || '3300';
const bound = process.env.HOST;
// A wildcard address (all interfaces) is reached through loopback.
const host = !bound || bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/api/health`;
const token = process.env.FLOORBOARD_API_TOKEN;

const fail = (why) => {
  process.stdout.write(`unhealthy: ${url} ${why}\n`);
  process.exit(1);
};

fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(4000) })
  .then(async (res) => {
    if (res.status !== 200) return fail(`answered ${res.status}`);
    const body = await res.json().catch(() => ({}));
    if (body.status !== 'ok') return fail(`says status ${JSON.stringify(body.status)}`);
    process.stdout.write(`healthy: ${body.eventsStored} events stored\n`);
    process.exit(0);
  })
  .catch((err) => fail(`did not answer (${err.cause?.code ?? err.name})`));
