/**
 * POST /telemetry/v1/batch: refused (403) unless the pool's flag is on right now (read from the
 * store on every request, before the body is even looked at), limited in body size and rate per
 * client, validated with the page's own schema, and answered only after the durable commit.
 *
 * A pool whose TelemetryEndpoint names another host sends from its pages' origin: such requests
 * are resolved to that origin's pool (pool-context.ts, which refuses an Origin no pool serves),
 * answered with CORS headers for exactly that origin (@fastify/cors, this scope only), and
 * preflighted through OPTIONS. No credentials are ever allowed.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { MAX_BATCH_BYTES, TELEMETRY_PATH } from '../../shared/constants';
import { telemetryBatch } from '../../shared/telemetry-schema';
import type { Db } from '../db';
import { effectiveConfigFor } from '../store/config-store';
import { createIngest } from '../telemetry/ingest';

/**
 * Per client: a page flushes every few seconds at most, so 120 batches a minute per DeviceID
 * leaves room for retries and several tabs while stopping a runaway or hostile sender. The key is
 * read from the parsed body (hence the preHandler hook), falling back to the address, which is
 * kept in memory for the window only and never stored.
 */
export const RATE_LIMIT_PER_MINUTE = 120;

function clientKey(request: FastifyRequest): string {
  const deviceId = (request.body as { deviceId?: unknown } | undefined)?.deviceId;
  const who = typeof deviceId === 'string' && deviceId.length <= 64 ? `d:${deviceId}` : `ip:${request.ip}`;
  return `${request.pool.fqdn}|${who}`;
}

export function registerTelemetryRoutes(app: FastifyInstance, db: Db, secret: Buffer): void {
  const ingest = createIngest(db, secret);
  /** The ingest's own prefix: its CORS (preflight route included) covers nothing else. */
  const prefix = TELEMETRY_PATH.slice(0, TELEMETRY_PATH.indexOf('/', 1));
  const batchPath = TELEMETRY_PATH.slice(prefix.length);
  app.register(
    async (scope) => {
      // Any Origin that reached here names a pool (pool-context.ts refused the rest): the page may read the answer.
      await scope.register(cors, {
        origin: (_origin, allow) => allow(null, true),
        methods: ['POST'],
        allowedHeaders: ['content-type'],
        credentials: false,
        maxAge: 600,
      });
      // sendBeacon may label a JSON body text/plain; parse it as JSON here, and only here.
      scope.addContentTypeParser(
        'text/plain',
        { parseAs: 'string', bodyLimit: MAX_BATCH_BYTES },
        (_req, body, done) => {
          try {
            done(null, JSON.parse(body as string));
          } catch {
            const error = new Error('The body is not valid JSON.') as Error & { statusCode: number };
            error.statusCode = 400;
            done(error, undefined);
          }
        },
      );
      scope.post(
        batchPath,
        {
          bodyLimit: MAX_BATCH_BYTES,
          // The answer is a few bytes: skip the compression hooks on the hottest route.
          compress: false,
          config: {
            rateLimit: { max: RATE_LIMIT_PER_MINUTE, timeWindow: 60_000, hook: 'preHandler', keyGenerator: clientKey },
          },
          onRequest: async (request, reply) => {
            reply.header('cache-control', 'no-store');
            if (effectiveConfigFor(db, request.pool).MeetingUxEnableTelemetry !== true) {
              return reply.code(403).send({ code: 'telemetry-disabled', message: 'Telemetry is off for this pool.' });
            }
          },
        },
        async (request, reply) => {
          const batch = v.safeParse(telemetryBatch, request.body);
          if (!batch.success) {
            const issue = batch.issues[0];
            const where = issue.path?.map((p) => String(p.key)).join('.') || 'body';
            return reply.code(400).send({ code: 'invalid-batch', message: `Invalid telemetry batch at ${where}.` });
          }
          return reply.code(200).send(await ingest.submit(request.pool.fqdn, batch.output));
        },
      );
    },
    { prefix },
  );
}
