/** GET /api/v1/dialin: the pool's dial-in numbers, for the searchable /dialin page. */
import type { FastifyInstance } from 'fastify';
import type { DialInDirectory } from '../../../shared/api-schema';
import { API_PREFIX } from '../../../shared/constants';
import type { Sql } from '../../sql/sql';
import { dialInNumbersOf } from '../../store/dialin';

export function registerDialInRoutes(app: FastifyInstance, sql: Sql): void {
  app.get(`${API_PREFIX}/dialin`, async (request, reply) => {
    // Numbers change rarely; a short private cache keeps the search page snappy without going stale.
    reply.header('cache-control', 'private, max-age=300');
    const directory: DialInDirectory = { numbers: await dialInNumbersOf(sql, request.pool.fqdn) };
    return directory;
  });
}
