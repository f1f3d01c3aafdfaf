/**
 * `/healthz` is liveness (the process answers); `/readyz` is readiness for load balancers: 200
 * only while the service accepts work (not draining after SIGTERM), the store is writable (the
 * SQLite file) or reachable (PostgreSQL), and the disk guard lets writes through (below the ingest's
 * free-space floor on DATA_DIR, or right after a "disk full" from either engine, it is 503
 * `disk-full`: a balancer with another node sends work there, and an operator's check sees it).
 */
import type { FastifyInstance } from 'fastify';
import type { FreeSpaceGuard } from '../../disk/free-space-guard';
import { engineOf } from '../../sql/engine';
import type { Store } from '../../sql/store';

export interface Lifecycle {
  accepting: boolean;
}

export function registerHealthRoutes(
  app: FastifyInstance,
  store: Store,
  lifecycle: Lifecycle,
  diskGuard?: FreeSpaceGuard,
): void {
  const engine = engineOf(store);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!lifecycle.accepting) return reply.code(503).send({ status: 'draining' });
    if (!(await engine.ready())) return reply.code(503).send({ status: engine.notReadyStatus });
    if (diskGuard && !diskGuard.hasRoom()) return reply.code(503).send({ status: 'disk-full' });
    return { status: 'ready' };
  });
}
