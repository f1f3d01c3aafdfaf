/**
 * Telemetry when things break on PostgreSQL:
 * - PostgreSQL stops in the middle of a stream of batches (its own throwaway server, stopped and
 *   started again): every submit rejects with a clear "cannot be reached" error and the route
 *   answers 503 store-unavailable, the process does not crash, everything that was acknowledged is
 *   in the database once it is back, and the ingest works again without a restart.
 * - An ingest node (its own process, the real route) is killed with SIGKILL mid-burst: every batch
 *   that got a 2xx is stored exactly once; a client resending the rest to a new node ends with
 *   every event stored once and the quota counter equal to the rows.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgresStore, type Store } from '../../src/server/sql/store';
import { createIngest, StoreUnavailableError } from '../../src/server/telemetry/ingest';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import type { TelemetryBatch } from '../../src/shared/telemetry-schema';
import { freshDatabase, type PostgresServer, startPostgres } from '../support/postgres';
import { buildTelemetryApp } from '../support/telemetry-app';

const SECRET = Buffer.alloc(32, 5);
const POOL = 'pool01.contoso.com';
let serial = 0;
const batch = (n: number, tag: string): TelemetryBatch => ({
  v: 1,
  deviceId: '3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
  events: Array.from({ length: n }, () => ({
    id: `${tag}-${process.pid}-${serial++}`,
    type: 'usage' as const,
    ts: Date.now(),
    metric: 'imSent' as const,
    value: 1,
  })),
});
const idsOf = (batches: TelemetryBatch[]) => batches.flatMap((b) => b.events.map((e) => e.id));

/** How many of the ids are stored, and how many rows they make (at most one each: the key). */
async function storedOf(client: pg.Client | pg.Pool, ids: string[]) {
  const { rows } = await client.query<{ rows: string; distinct: string }>(
    'SELECT COUNT(*) AS rows, COUNT(DISTINCT id) AS distinct FROM telemetry_events WHERE id = ANY($1::text[])',
    [ids],
  );
  return { rows: Number(rows[0]?.rows), distinct: Number(rows[0]?.distinct) };
}

describe.skipIf(process.env.TEST_DATABASE_URL !== undefined)('PostgreSQL stopped mid-stream', () => {
  let server: PostgresServer;
  let store: Extract<Store, { dialect: 'postgres' }>;
  beforeAll(async () => {
    server = await startPostgres({ own: true });
    store = (await openPostgresStore(server.url)) as typeof store;
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('rejects clearly, answers 503, acknowledges nothing it did not commit, and recovers', async () => {
    const ingest = createIngest(store, SECRET);
    const { app } = buildTelemetryApp({ store, secret: SECRET });
    const acknowledged: TelemetryBatch[] = [];
    const failures: unknown[] = [];
    const sent: Promise<void>[] = [];
    const send = () => {
      const b = batch(10, 'down');
      const done = ingest.submit(POOL, b).then(
        () => {
          acknowledged.push(b);
        },
        (error: unknown) => {
          failures.push(error);
        },
      );
      sent.push(done);
      return done;
    };
    // A steady stream: four senders, each sending its next batch when the last one settles.
    let stopped = false;
    let halted = () => {};
    const enoughAcknowledged = new Promise<void>((resolve) => {
      halted = resolve;
    });
    const sender = async () => {
      while (!stopped) {
        await send();
        if (acknowledged.length >= 40) halted();
      }
    };
    const senders = Array.from({ length: 4 }, sender);
    await enoughAcknowledged;
    // Stop PostgreSQL with batches in flight (fast shutdown cuts the open connections).
    server.halt();
    // Whatever was in flight settles; new batches fail fast and clearly.
    await expect(ingest.submit(POOL, batch(5, 'after'))).rejects.toThrow(StoreUnavailableError);
    await expect(ingest.submit(POOL, batch(5, 'after'))).rejects.toThrow(/PostgreSQL cannot be reached/);
    const answer = await app.inject({
      method: 'POST',
      url: TELEMETRY_PATH,
      headers: { 'content-type': 'application/json' },
      payload: batch(5, 'route'),
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ code: 'store-unavailable' });
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    stopped = true;
    await Promise.all(senders);
    await Promise.all(sent);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expect(failure).toBeInstanceOf(StoreUnavailableError);

    server.resume();
    // Every acknowledged batch is there; the ingest works again on fresh connections.
    const ids = idsOf(acknowledged);
    expect(await storedOf(store.pool, ids)).toEqual({ rows: ids.length, distinct: ids.length });
    expect(await ingest.submit(POOL, batch(5, 'back'))).toMatchObject({ stored: 5, duplicates: 0, refused: 0 });
    await app.close();
  }, 120_000);
});

interface Node {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

function startNode(databaseUrl: string): Promise<Node> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('test/support/telemetry-node.ts'), '--database-url', databaseUrl, '--unlimited'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the node exited (${code}) before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) =>
      resolve({ child, port: (JSON.parse(line) as { port: number }).port, exited }),
    );
  });
}

describe('an ingest node killed mid-burst', () => {
  let database: { url: string; drop(): Promise<void> };
  let reader: pg.Client;
  const nodes: Node[] = [];
  beforeAll(async () => {
    database = await freshDatabase(inject('postgresUrl'), 'tf');
    reader = new pg.Client({ connectionString: database.url });
  });
  afterAll(async () => {
    for (const n of nodes) n.child.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    await reader?.end();
    await database?.drop();
  });

  it('stores every batch that got a 2xx exactly once', async () => {
    const first = await startNode(database.url);
    nodes.push(first);
    await reader.connect();
    const post = (port: number, b: TelemetryBatch) =>
      fetch(`http://127.0.0.1:${port}${TELEMETRY_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
    const batches = Array.from({ length: 600 }, () => batch(25, 'burst'));
    const acknowledged = new Set<TelemetryBatch>();
    let killed = false;
    let next = 0;
    // Eight clients, each posting its next batch as soon as the last is answered; at the 150th
    // acknowledgement the node is killed with the rest in flight or not yet sent.
    const client = async () => {
      while (next < batches.length && !killed) {
        const b = batches[next++] as TelemetryBatch;
        try {
          const response = await post(first.port, b);
          if (response.ok) acknowledged.add(b);
          if (acknowledged.size >= 150 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        } catch {
          // The connection died with the node: not acknowledged.
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(150);
    expect(acknowledged.size).toBeLessThan(batches.length);

    const ackedIds = idsOf([...acknowledged]);
    expect(await storedOf(reader, ackedIds)).toEqual({ rows: ackedIds.length, distinct: ackedIds.length });
    const sentIds = idsOf(batches);
    const total = Number((await reader.query('SELECT COUNT(*) AS n FROM telemetry_events')).rows[0]?.n);
    // Nothing is stored that was not sent; some unacknowledged batches may have committed too.
    expect((await storedOf(reader, sentIds)).rows).toBe(total);
    console.log(
      `SIGKILL: ${acknowledged.size} batches acknowledged of ${next} sent; ${total - ackedIds.length} events committed without an answer`,
    );

    // The client resends everything it has no 2xx for (and, to check dedupe, the rest too) to a
    // new node: afterwards every event is stored once, and the quota counter agrees with the rows.
    const second = await startNode(database.url);
    nodes.push(second);
    for (const b of batches) {
      const response = await post(second.port, b);
      expect(response.status).toBe(200);
      const result = (await response.json()) as { stored: number; duplicates: number };
      if (acknowledged.has(b)) expect(result).toMatchObject({ stored: 0, duplicates: 25 });
    }
    expect(await storedOf(reader, sentIds)).toEqual({ rows: sentIds.length, distinct: sentIds.length });
    const counted = await reader.query('SELECT SUM(stored) AS n FROM telemetry_daily');
    expect(Number(counted.rows[0]?.n)).toBe(sentIds.length);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(second.child.exitCode).toBe(0);
  }, 120_000);
});
