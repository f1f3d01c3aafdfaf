/** GET /config/webservice.json: the pool's effective configuration, read from the store once per request (pool-context.ts). */
import type { FastifyInstance } from 'fastify';
import { CONFIG_PATH } from '../../shared/constants';

export function registerConfigRoutes(app: FastifyInstance): void {
  app.get(CONFIG_PATH, async (request, reply) => {
    const { Identity: _identity, ...config } = request.poolConfig;
    reply.header('cache-control', 'no-store');
    return config;
  });
}
