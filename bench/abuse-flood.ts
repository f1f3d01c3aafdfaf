/**
 * The attacker of bench/abuse.ts, in its own process: posts telemetry batches of 100
 * maximum-size error events, each batch with a fresh random DeviceID, as fast as the server answers,
 * 32 at a time: over HTTP/1.1 with autocannon, or with `--h2` over TLS and HTTP/2 (4 connections
 * of 8 streams each; autocannon speaks HTTP/1.1 only).
 * Usage: tsx bench/abuse-flood.ts <port> <seconds> [--h2]; prints one JSON line with the counts.
 */
import { randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import autocannon from 'autocannon';
import { TELEMETRY_PATH } from '../src/shared/constants';
import { TELEMETRY_LIMITS } from '../src/shared/telemetry-limits';

const [port, seconds] = process.argv.slice(2, 4).map(Number) as [number, number];
const overHttp2 = process.argv.includes('--h2');
const CONNECTIONS = 32;
const STREAM_TIMEOUT_MS = 5_000;
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

interface Counts {
  requests: number;
  ok: number;
  limited: number;
  other: number;
  errors: number;
  /** HTTP/2 streams neither answered nor closed within STREAM_TIMEOUT_MS (counted in errors too). */
  stalled: number;
}

async function floodHttp1(): Promise<Counts> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
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
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    limited: statusCodes['429']?.count ?? 0,
    other: result.non2xx - (statusCodes['429']?.count ?? 0),
    errors: result.errors,
    stalled: 0,
  };
}

async function floodHttp2(): Promise<Counts> {
  const counts: Counts = { requests: 0, ok: 0, limited: 0, other: 0, errors: 0, stalled: 0 };
  const ends = Date.now() + seconds * 1000;
  const sessions = Array.from({ length: 4 }, () => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
    session.on('error', () => {});
    return session;
  });
  const post = (session: http2.ClientHttp2Session) =>
    new Promise<void>((resolve) => {
      counts.requests++;
      const stream = session.request({ ':method': 'POST', ':path': TELEMETRY_PATH, 'content-type': 'text/plain' });
      // A stream the server neither answers nor closes in time counts as an error, so the flood
      // ends on time whatever the server does (this timer, unlike the stream's own, keeps the
      // process alive until it fires).
      const deadline = setTimeout(() => {
        counts.errors++;
        counts.stalled++;
        stream.destroy();
        resolve();
      }, STREAM_TIMEOUT_MS);
      const done = () => {
        clearTimeout(deadline);
        resolve();
      };
      stream.on('response', (headers) => {
        const status = Number(headers[':status']);
        if (status >= 200 && status < 300) counts.ok++;
        else if (status === 429) counts.limited++;
        else counts.other++;
      });
      stream.on('error', () => {
        counts.errors++;
        done();
      });
      stream.on('close', done);
      stream.resume();
      stream.end(floodBody());
    });
  const worker = async (session: http2.ClientHttp2Session) => {
    while (Date.now() < ends && !session.destroyed) await post(session);
  };
  await Promise.all(
    sessions.flatMap((session) => Array.from({ length: CONNECTIONS / sessions.length }, () => worker(session))),
  );
  for (const session of sessions) session.close();
  return counts;
}

process.stdout.write(`${JSON.stringify(overHttp2 ? await floodHttp2() : await floodHttp1())}\n`);
