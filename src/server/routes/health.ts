/**
 * `/healthz` is liveness (the process answers); `/readyz` is readiness for load balancers: 200
 * only while the service accepts work (not draining after SIGTERM) and the store is writable (the
 * SQLite file) or reachable (PostgreSQL).
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db';
import type { Store } from '../sql/store';

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

export function registerHealthRoutes(app: FastifyInstance, store: Store, lifecycle: Lifecycle): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!lifecycle.accepting) return reply.code(503).send({ status: 'draining' });
    if (!(await storeReady(store)))
      return reply.code(503).send({ status: store.dialect === 'sqlite' ? 'store-not-writable' : 'store-unavailable' });
    return { status: 'ready' };
  });
}
