/**
 * `/healthz` is liveness (the process answers); `/readyz` is readiness for load balancers: 200
 * only while the service accepts work (not draining after SIGTERM) and the store is writable.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db';

export interface Lifecycle {
  accepting: boolean;
}

function storeWritable(db: Db): boolean {
  try {
    if (!db.open || db.readonly) return false;
    fs.accessSync(db.name, fs.constants.W_OK);
    db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}

export function registerHealthRoutes(app: FastifyInstance, db: Db, lifecycle: Lifecycle): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!lifecycle.accepting) return reply.code(503).send({ status: 'draining' });
    if (!storeWritable(db)) return reply.code(503).send({ status: 'store-not-writable' });
    return { status: 'ready' };
  });
}
