/**
 * The attacker of bench/abuse.ts, in its own process: autocannon posts telemetry batches of 500
 * maximum-size error events, each batch with a fresh random DeviceID, as fast as the server answers.
 * Usage: tsx bench/abuse-flood.ts <port> <seconds>; prints one JSON line with the counts.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { TELEMETRY_PATH } from '../src/shared/constants';
import { TELEMETRY_LIMITS } from '../src/shared/telemetry-limits';

const [port, seconds] = process.argv.slice(2).map(Number) as [number, number];
let serial = 0;

// The events as JSON once, split where each event id goes: a batch is then a few string joins, so
// the attacker's own CPU (on the same 2-core machine) does not decide the normal client's latency.
const EVENT_PARTS = Array.from({ length: 100 }, (_, i) =>
  JSON.stringify({
    id: `@ID@x${i}`,
    type: 'error',
    ts: 1_790_000_000_000,
    code: 'flood:error',
    // As long as the schema lets a message be: the largest valid event, the worst case for the disk.
    message: 'm'.repeat(TELEMETRY_LIMITS.errorMessage),
  }),
).map((event) => event.split('@ID@'));

function floodBody(): string {
  const run = `flood${(serial++).toString(36)}`;
  const events = EVENT_PARTS.map(([before, after]) => `${before}${run}${after}`).join(',');
  return `{"v":1,"deviceId":"${randomUUID()}","events":[${events}]}`;
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
