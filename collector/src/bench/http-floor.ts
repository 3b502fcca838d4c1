// The bench's HTTP floor: servers that do only part of what a signed Event Callback needs, so the
// bench can show how much of a request's cost is the web stack before the collector does anything.
// `node http-floor.js node`: node:http alone (drain the body, answer 204). `… express`: Express 5
// with the form parser and the twilio library's signature check, as the collector's webhook uses
// them, with TWILIO_AUTH_TOKEN and FLOORBOARD_PUBLIC_URL from the environment as the collector
// reads them. Prints {"url": …} when listening, as the collector does; stops on SIGTERM.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import twilio from 'twilio';

const token = process.env.TWILIO_AUTH_TOKEN ?? '';
const publicUrl = (process.env.FLOORBOARD_PUBLIC_URL ?? '').replace(/\/+$/, '');

function nodeOnly(): http.Server {
  return http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 204;
      res.end();
    });
  });
}

function expressSigned(): http.Server {
  const app = express();
  app.post('/webhooks/taskrouter', express.urlencoded({ extended: false }), (req, res) => {
    const signature = req.get('x-twilio-signature') ?? '';
    const ok = twilio.validateRequest(token, signature, `${publicUrl}/webhooks/taskrouter`, req.body as Record<string, string>);
    res.status(ok ? 204 : 403).end();
  });
  return http.createServer(app);
}

const mode = process.argv[2];
if (mode !== 'node' && mode !== 'express') {
  process.stderr.write('usage: http-floor.js node|express\n');
  process.exit(2);
}
const server = mode === 'node' ? nodeOnly() : expressSigned();
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
