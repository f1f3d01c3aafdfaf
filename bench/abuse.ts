/**
 * The ingest under abuse, in one run against the real server with its default limits: one process
 * floods the ingest with a fresh DeviceID per batch for 20 s (bench/abuse-flood.ts), while a normal
 * clients on other addresses look up a meeting every 50 ms between them, as pages would. Figures:
 * events stored, database growth, and the normal clients' lookup p99 (budget <= 100 ms; over TLS,
 * where each lookup is a new connection with its handshake, <= 250 ms).
 * `run` does it over plain HTTP/1.1; `runTls` against the TLS server as `npm run serve` runs it,
 * flood and lookups over HTTP/2 (each lookup a new TLS connection, handshake included).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { connectHttp2 } from '../test/support/transport-clients';
import type { Figure } from './figure';
import { startServer } from './ingest';

type Transport = 'http' | 'tls';

const FLOOD_SECONDS = Number(process.env.BENCH_ABUSE_SECONDS ?? 20);
/** Lookups before the flood, as the reference for this machine at this moment (shared, busy). */
const BASELINE_SECONDS = 5;
const LOOKUP_EVERY_MS = 50;
const TLS_LOOKUP_P99_BUDGET_MS = 250;
/**
 * The normal clients: ten addresses (127.0.0.2 to 127.0.0.11) taking turns, so each looks up a
 * meeting twice a second at most, well inside the per-address limit (600 a minute). One address
 * every 50 ms for the whole run would be over it, and answered 429, as it should be.
 */
const NORMAL_CLIENTS = Array.from({ length: 10 }, (_, i) => `127.0.0.${i + 2}`);

const p99Of = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return Math.round((sorted[Math.ceil(sorted.length * 0.99) - 1] ?? Number.POSITIVE_INFINITY) * 10) / 10;
};

async function lookupsWhile(transport: Transport, port: number, going: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (going()) {
    const from = NORMAL_CLIENTS[latencies.length % NORMAL_CLIENTS.length] as string;
    latencies.push(await (transport === 'tls' ? lookupHttp2(port, from) : lookup(port, from)));
    await new Promise((resolve) => setTimeout(resolve, LOOKUP_EVERY_MS));
  }
  return latencies;
}

interface FloodResult {
  requests: number;
  ok: number;
  limited: number;
  other: number;
  errors: number;
  stalled: number;
}

/** One lookup from a normal client's address (not the flooder's), on a fresh connection like a new page. */
function lookup(port: number, from: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, localAddress: from, path: '/api/v1/meetings/alice/7Q3DSSYV', agent: false },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`lookup answered ${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
  });
}

/** The same lookup over TLS and HTTP/2, on a new connection (handshake included). */
function lookupHttp2(port: number, from: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const session = connectHttp2(port, from);
    const stream = session.request({ ':path': '/api/v1/meetings/alice/7Q3DSSYV' });
    stream.on('error', reject);
    stream.once('response', (headers) => {
      stream.resume();
      stream.once('end', () => {
        session.close();
        const status = Number(headers[':status']);
        if (status === 200) resolve(performance.now() - started);
        else reject(new Error(`lookup answered ${status}`));
      });
    });
  });
}

function flood(transport: Transport, port: number): Promise<FloodResult> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.resolve('bench/abuse-flood.ts'),
      String(port),
      String(FLOOD_SECONDS),
      ...(transport === 'tls' ? ['--h2'] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output) as FloodResult) : reject(new Error(`the flood exited with ${code}`)),
    ),
  );
}

export const run = () => measure('http');
export const runTls = () => measure('tls');

async function measure(transport: Transport): Promise<Figure[]> {
  const server = await (transport === 'tls'
    ? startServer('--real-limits', { tls: true })
    : startServer('--real-limits'));
  const over = transport === 'tls' ? ' (TLS, HTTP/2)' : '';
  try {
    const baselineEnds = Date.now() + BASELINE_SECONDS * 1000;
    const baseline = await lookupsWhile(transport, server.port, () => Date.now() < baselineEnds);
    const before = JSON.parse(await server.ask('count')) as { real: number; bytes: number };
    let flooding = true;
    const flooded = flood(transport, server.port).finally(() => {
      flooding = false;
    });
    const latencies = await lookupsWhile(transport, server.port, () => flooding);
    const attack = await flooded;
    const after = JSON.parse(await server.ask('count')) as { real: number; bytes: number };
    const stored = after.real - before.real;
    // A flood the schema refuses tests nothing: its batches must be valid, so the limits are what stops them.
    if (attack.ok === 0 || attack.other > 0) {
      throw new Error(
        `the flood's batches were not valid telemetry (${attack.ok} stored, ${attack.other} other answers): fix bench/abuse-flood.ts`,
      );
    }
    return [
      {
        name: `abuse${over}: events stored from one flooding address`,
        value: stored,
        unit: 'events',
        note: `${FLOOD_SECONDS} s, ${attack.requests} batches sent: ${attack.ok} stored, ${attack.limited} refused 429, ${attack.other} other, ${attack.errors} errors (${attack.stalled} of them stalled ${'>'} 5 s)`,
      },
      {
        name: `abuse${over}: database growth`,
        value: Math.round(((after.bytes - before.bytes) / 1024 / 1024) * 10) / 10,
        unit: 'MB',
      },
      {
        name: `abuse${over}: normal client lookup p99`,
        value: p99Of(latencies),
        unit: 'ms',
        // Over TLS each lookup is a new connection and pays a full handshake while the flood holds
        // both cores: a new page still has its meeting within a quarter of a second.
        budget: { atMost: transport === 'http' ? 100 : TLS_LOOKUP_P99_BUDGET_MS },
        note: `${latencies.length} lookups from another address during the flood`,
      },
      {
        name: `abuse${over}: the same lookup p99 before the flood (reference)`,
        value: p99Of(baseline),
        unit: 'ms',
        note: `${baseline.length} lookups; what this machine gives at this moment`,
      },
    ];
  } finally {
    server.child.stdin?.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void (process.argv.includes('--tls') ? runTls() : run()).then((figures) => {
    for (const f of figures) console.log(`${f.name}: ${f.value} ${f.unit}${f.note ? `  (${f.note})` : ''}`);
  });
}
