/**
 * `/healthz` is liveness (the process answers); `/readyz` is readiness for load balancers: 200
 * only while the service accepts work (not draining after SIGTERM), the store is writable (the
 * SQLite file) or reachable (PostgreSQL), and the disk guard lets writes through (below the ingest's
 * free-space floor on DATA_DIR, or right after a "disk full" from either engine, it is 503
 * `disk-full`: a balancer with another node sends work there, and an operator's check sees it).
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../sql/sqlite-db';
import type { Store } from '../sql/store';
import type { FreeSpaceGuard } from '../storage/free-space-guard';

export interface Lifecycle {
  accepting: boolean;
}

function sqliteWritable(db: Db): boolean {
  try {
    if (!db.open || db.readonly) return false;
    fs.accessSync(db.name, fs.constants.W_OK);
    db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}

async function storeReady(store: Store): Promise<boolean> {
  if (store.dialect === 'sqlite') return sqliteWritable(store.db);
  try {
    // A standby answers reads but refuses writes: not ready for this service.
    const row = await store.sql.get<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
    return row?.standby === false;
  } catch {
    return false;
  }
}

export function registerHealthRoutes(
  app: FastifyInstance,
  store: Store,
  lifecycle: Lifecycle,
  diskGuard?: FreeSpaceGuard,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!lifecycle.accepting) return reply.code(503).send({ status: 'draining' });
    if (!(await storeReady(store)))
      return reply.code(503).send({ status: store.dialect === 'sqlite' ? 'store-not-writable' : 'store-unavailable' });
    if (diskGuard && !diskGuard.hasRoom()) return reply.code(503).send({ status: 'disk-full' });
    return { status: 'ready' };
  });
}
