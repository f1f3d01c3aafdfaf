/**
 * POST /telemetry/v1/batch: refused (403) unless the pool's flag is on right now (read from the
 * store on every request, before the body is even looked at), limited in body size and rate per
 * client, validated with the page's own schema, and answered only after the durable commit.
 *
 * A pool whose TelemetryEndpoint names another host sends from its pages' origin: such requests
 * are resolved to that origin's pool (pool-context.ts), answered with CORS headers for exactly that
 * origin, and preflighted through OPTIONS. No credentials are ever allowed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

/** Lets the calling page read the answer; its Origin was already matched to a pool. */
function allowOrigin(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('vary', 'Origin');
  const origin = request.headers.origin;
  if (origin !== undefined) reply.header('access-control-allow-origin', origin);
}

export function registerTelemetryRoutes(app: FastifyInstance, db: Db, secret: Buffer): void {
  const ingest = createIngest(db, secret);
  // Draining (SIGTERM): batches waiting for the next group commit are committed before the store closes.
  app.addHook('onClose', async () => ingest.flush());
  app.register(async (scope) => {
    // sendBeacon may label a JSON body text/plain; parse it as JSON here, and only here.
    scope.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: MAX_BATCH_BYTES }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        const error = new Error('The body is not valid JSON.') as Error & { statusCode: number };
        error.statusCode = 400;
        done(error, undefined);
      }
    });
    // The preflight of a JSON POST from another origin (sendBeacon's text/plain needs none).
    scope.options(TELEMETRY_PATH, async (request, reply) => {
      allowOrigin(request, reply);
      return reply
        .code(204)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .header('cache-control', 'no-store')
        .send();
    });
    scope.post(
      TELEMETRY_PATH,
      {
        bodyLimit: MAX_BATCH_BYTES,
        // The answer is a few bytes: skip the compression hooks on the hottest route.
        compress: false,
        config: {
          rateLimit: { max: RATE_LIMIT_PER_MINUTE, timeWindow: 60_000, hook: 'preHandler', keyGenerator: clientKey },
        },
        onRequest: async (request, reply) => {
          reply.header('cache-control', 'no-store');
          allowOrigin(request, reply);
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
        const result = await ingest.submit(request.pool.fqdn, batch.output);
        app.metrics?.telemetryStored(result.stored, result.duplicates);
        return reply.code(200).send(result);
      },
    );
  });
}
