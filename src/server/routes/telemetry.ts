/**
 * POST /telemetry/v1/batch: refused (403) unless the pool's flag is on right now, validated with
 * the page's own schema, stored (hashed, deduplicated) before the answer.
 */
import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { MAX_BATCH_BYTES, TELEMETRY_PATH } from '../../shared/constants';
import { telemetryBatch } from '../../shared/telemetry-schema';
import type { Db } from '../db';
import { effectiveConfigFor } from '../store/config-store';
import { createIngest } from '../telemetry/ingest';

export function registerTelemetryRoutes(app: FastifyInstance, db: Db, secret: Buffer): void {
  const ingest = createIngest(db, secret);
  // sendBeacon may label a JSON body text/plain; parse it as JSON here, and only here.
  app.register(async (scope) => {
    scope.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: MAX_BATCH_BYTES }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        const error = new Error('The body is not valid JSON.') as Error & { statusCode: number };
        error.statusCode = 400;
        done(error, undefined);
      }
    });
    scope.post(TELEMETRY_PATH, { bodyLimit: MAX_BATCH_BYTES }, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (effectiveConfigFor(db, request.pool).MeetingUxEnableTelemetry !== true) {
        return reply.code(403).send({ code: 'telemetry-disabled', message: 'Telemetry is off for this pool.' });
      }
      const batch = v.safeParse(telemetryBatch, request.body);
      if (!batch.success) {
        const issue = batch.issues[0];
        const where = issue.path?.map((p) => String(p.key)).join('.') || 'body';
        return reply.code(400).send({ code: 'invalid-batch', message: `Invalid telemetry batch at ${where}.` });
      }
      const result = ingest(request.pool.fqdn, batch.output);
      return reply.code(200).send(result);
    });
  });
}
