/** GET /config/webservice.json: the pool's effective configuration, read from the store once per request (pool-context.ts). */
import type { FastifyInstance } from 'fastify';
import { SERVER_ONLY_DEFAULTS } from '../../../shared/config-schema';
import { CONFIG_PATH } from '../../../shared/constants';

export function registerConfigRoutes(app: FastifyInstance): void {
  app.get(CONFIG_PATH, async (request, reply) => {
    const { Identity: _identity, ...config } = request.poolConfig;
    // Server-only parameters (IceServers) are not the page's: they stay off its critical path.
    for (const name of Object.keys(SERVER_ONLY_DEFAULTS)) delete (config as Record<string, unknown>)[name];
    reply.header('cache-control', 'no-store');
    return config;
  });
}
