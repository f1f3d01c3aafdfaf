/**
 * The attacker of bench/abuse.ts, in its own process: autocannon posts telemetry batches of 500
 * maximum-size error events, each batch with a fresh random DeviceID, as fast as the server answers.
 * Usage: tsx bench/abuse-flood.ts <port> <seconds>; prints one JSON line with the counts.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { TELEMETRY_PATH } from '../src/shared/constants';

const [port, seconds] = process.argv.slice(2).map(Number) as [number, number];
let serial = 0;

function floodBody(): string {
  const run = (serial++).toString(36);
  const events = Array.from({ length: 100 }, (_, i) => ({
    id: `flood${run}x${i}`,
    type: 'error',
    ts: Date.now(),
    code: 'flood:error',
    message: 'm'.repeat(500),
  }));
  return JSON.stringify({ v: 1, deviceId: randomUUID(), events });
}

const result = await autocannon({
  url: `http://127.0.0.1:${port}`,
  connections: 32,
  duration: seconds,
  requests: [
    {
      method: 'POST',
      path: TELEMETRY_PATH,
      headers: { 'content-type': 'text/plain' },
      setupRequest: (request) => ({ ...request, body: floodBody() }),
    },
  ],
});
const statusCodes = result.statusCodeStats;
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    ok: result['2xx'],
    limited: statusCodes['429']?.count ?? 0,
    other: result.non2xx - (statusCodes['429']?.count ?? 0),
    errors: result.errors,
  })}\n`,
);
