/**
 * Many nodes, one PostgreSQL: what one node (or the admin CLI) writes is what every other node
 * reads on its next request, with nothing cached in between. And when PostgreSQL itself stops:
 * requests that need the store answer 503 store-unavailable at once (no crash, no hang), /readyz
 * says so, and the admin CLI and the server exit non-zero with one line that never shows the
 * password.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseCommandLine } from '../../src/server/admin/args';
import { runCommand } from '../../src/server/admin/commands';
import { buildApp } from '../../src/server/app';
import { seedDemoIfEmpty } from '../../src/server/seed';
import { CONNECT_TIMEOUT_MS, openStore, type Store, type StoreLocation } from '../../src/server/sql/store';
import { StoreUnavailableError } from '../../src/server/sql/unavailable';
import { adminWrite } from '../../src/server/store/admin-write';
import { putDocument } from '../../src/server/store/config-store';
import { listMeetings } from '../../src/server/store/meetings';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { freshDatabase, type PostgresServer, startPostgres } from '../support/postgres';

const exec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function tempDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-nodes-'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body></body></html>',
  );
  return dir;
}

describe('two nodes on one PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let location: StoreLocation;
  let dist: string;
  const stores: Store[] = [];
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    database = await freshDatabase(inject('postgresUrl'));
    dist = tempDist();
    location = { dataDir: path.join(dist, 'data'), databaseUrl: database.url };
    for (let node = 0; node < 2; node++) {
      const store = await openStore(location);
      stores.push(store);
      expect(await seedDemoIfEmpty(store.sql)).toBe(node === 0);
      apps.push(await buildApp({ store, secret: Buffer.alloc(32, 9), distDir: dist }));
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    await database.drop();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  const node = (index: number) => apps[index] as FastifyInstance;
  const flagOn = async (index: number, host = '127.0.0.1') =>
    (await node(index).inject({ url: '/config/webservice.json', headers: { host } })).json().MeetingUxEnableTelemetry;
  const admin = async (...argv: string[]) => runCommand(parseCommandLine(argv), location);

  it('a flag set through the CLI or one node is in force on every node for the next request, on and off', async () => {
    expect([await flagOn(0), await flagOn(1)]).toEqual([false, false]);
    await admin('set', '-MeetingUxEnableTelemetry', 'true');
    expect([await flagOn(0), await flagOn(1)]).toEqual([true, true]);
    // Node 0 writes a service document that turns it off for pool01: node 1 serves it at once.
    await adminWrite(stores[0] as Store, (sql) =>
      putDocument(sql, { kind: 'service', pool: 'pool01.contoso.com' }, { ...PRODUCT_DEFAULTS }),
    );
    expect([await flagOn(1), await flagOn(0)]).toEqual([false, false]);
    expect(await flagOn(1, 'meet.fabrikam.test')).toBe(true);
    await admin('remove', '-Identity', 'Service:WebServer:pool01.contoso.com');
    await admin('set', '-MeetingUxEnableTelemetry', 'false');
    expect([await flagOn(0), await flagOn(1), await flagOn(1, 'meet.fabrikam.test')]).toEqual([false, false, false]);
  });

  it('a meeting scheduled on one node is found on the other; removed there, it is gone on both', async () => {
    const { key } = JSON.parse(
      (await admin('new-api-key', '-Pool', 'pool01.contoso.com', '-Name', 'Bot', '--json'))[0] as string,
    );
    const host = { host: 'meet.contoso.test', 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const made = await node(0).inject({
      method: 'POST',
      url: '/api/v1/schedule/meetings',
      headers: host,
      payload: { organizer: 'dana@contoso.com', subject: 'Across nodes' },
    });
    expect(made.statusCode).toBe(201);
    const { conferenceId } = made.json() as { conferenceId: string };
    const lookup = (index: number) =>
      node(index).inject({ url: `/api/v1/meetings/dana/${conferenceId}`, headers: { host: 'meet.contoso.test' } });
    expect((await lookup(1)).json()).toMatchObject({ subject: 'Across nodes' });
    const removed = await node(1).inject({
      method: 'DELETE',
      url: `/api/v1/schedule/meetings/dana/${conferenceId}`,
      headers: { host: 'meet.contoso.test', authorization: `Bearer ${key}` },
    });
    expect(removed.statusCode).toBe(204);
    expect((await lookup(0)).statusCode).toBe(404);
    expect((await lookup(1)).statusCode).toBe(404);
  });

  it('nodes starting together on an empty database seed the demo once', async () => {
    const empty = await freshDatabase(inject('postgresUrl'));
    const starting = await Promise.all([0, 1, 2].map(() => openStore({ dataDir: '', databaseUrl: empty.url })));
    try {
      const seeded = await Promise.all(starting.map((store) => seedDemoIfEmpty(store.sql)));
      expect(seeded.filter(Boolean)).toHaveLength(1);
      expect((await listMeetings(starting[0]?.sql as Store['sql'])).map((m) => m.key)).toEqual([
        'alice/7Q3DSSYV',
        'alice/ENDED2025',
        'kenmyer/071200',
        'carol/FAB12345',
      ]);
    } finally {
      for (const store of starting) await store.close();
      await empty.drop();
    }
  });
});

describe('a PostgreSQL that stops', () => {
  // Its own server, so stopping it leaves the run's shared one alone (nothing to stop with TEST_DATABASE_URL).
  const own = !process.env.TEST_DATABASE_URL;
  let server: PostgresServer;
  let store: Store;
  let app: FastifyInstance;
  let url: string;
  let dist: string;
  const PASSWORD = 'hunter2-not-for-logs';

  beforeAll(async () => {
    if (!own) return;
    server = await startPostgres({ own: true });
    const database = await freshDatabase(server.url);
    // The throwaway cluster trusts local connections: the password is only there to be hidden.
    const withPassword = new URL(database.url);
    withPassword.password = PASSWORD;
    url = withPassword.toString();
    dist = tempDist();
    store = await openStore({ dataDir: dist, databaseUrl: url });
    await seedDemoIfEmpty(store.sql);
    app = await buildApp({ store, secret: Buffer.alloc(32, 9), distDir: dist });
  }, 120_000);
  afterAll(async () => {
    if (!own) return;
    await app?.close();
    await store?.close();
    await server?.stop();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it.skipIf(!own)(
    'answers 503 store-unavailable at once; the CLI and the server exit non-zero with one line',
    async () => {
      const get = (url: string) => app.inject({ url, headers: { host: '127.0.0.1' } });
      expect((await get('/api/v1/meetings/alice/7Q3DSSYV')).statusCode).toBe(200);
      await server.stop();

      for (const path of ['/api/v1/meetings/alice/7Q3DSSYV', '/config/webservice.json', '/alice/7Q3DSSYV']) {
        const started = Date.now();
        const answer = await get(path);
        expect(Date.now() - started, path).toBeLessThan(CONNECT_TIMEOUT_MS);
        expect(answer.statusCode, path).toBe(503);
        expect(answer.json(), path).toEqual({
          code: 'store-unavailable',
          message: 'The store cannot be reached right now: try again in a moment.',
        });
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      }
      const ready = await get('/readyz');
      expect([ready.statusCode, ready.json()]).toEqual([503, { status: 'store-unavailable' }]);
      expect((await get('/healthz')).statusCode).toBe(200);

      const redacted = new URL(url);
      redacted.password = '***';
      await expect(runCommand(parseCommandLine(['topology']), { dataDir: dist, databaseUrl: url })).rejects.toThrow(
        StoreUnavailableError,
      );

      const env = { ...process.env, DATABASE_URL: url, DATA_DIR: path.join(dist, 'data'), DIST_DIR: dist, PORT: '0' };
      for (const [script, prefix, argv] of [
        ['src/server/admin/cli.ts', 'admin: ', ['topology']],
        ['src/server/serve.ts', 'meet-launcher could not start: ', []],
      ] as const) {
        const failure = await exec(TSX, [script, ...argv], { cwd: ROOT, env }).then(
          () => expect.fail(`${script} should have failed`),
          (error: { code: number; stdout: string; stderr: string }) => error,
        );
        expect(failure.code, script).toBe(1);
        const lines = failure.stderr.trim().split('\n');
        expect(lines, script).toHaveLength(1);
        expect(lines[0]).toContain(`${prefix}cannot reach the PostgreSQL store at ${redacted.toString()}: `);
        expect(failure.stderr + failure.stdout).not.toContain(PASSWORD);
      }
    },
    60_000,
  );
});
