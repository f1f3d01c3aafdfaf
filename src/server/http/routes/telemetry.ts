/**
 * POST /telemetry/v1/batch: refused (403) unless the pool's flag is on right now (read from the
 * store once per request, before the body is even looked at), refused (507) when the store's disk
 * is nearly full (DATA_DIR's, checked ahead; PostgreSQL's, when it says so), limited in body size
 * and in batches and events per client address and per pool (ingest-limits.ts), validated with
 * the page's own schema, and answered only after the durable commit.
 *
 * A fair daily quota: a pool stores at most TelemetryMaxEventsPerDay events per UTC day, and one
 * client address at most its share of them (addressShareOfDailyQuota). A batch that met either
 * limit is answered 429 with Retry-After until the next UTC day (what fitted was stored; a page
 * sending it again then finds those as duplicates), so pages stop sending instead of being told
 * 200 all day; the report counts refusals per cause (telemetry_daily). A store that cannot take the
 * batch now (locked, unreachable, or too much already waiting) is a 503 with Retry-After: nothing
 * was stored, and the page tries again. Answers never echo client input (an unknown field is "an
 * unknown field").
 *
 * A pool whose TelemetryEndpoint names another host sends from its pages' origin: such requests
 * are resolved to that origin's pool (pool-context.ts, which refuses an Origin no pool serves),
 * answered with CORS headers for exactly that origin (@fastify/cors, this scope only), and
 * preflighted through OPTIONS. No credentials are ever allowed.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { MAX_BATCH_BYTES, TELEMETRY_PATH } from '../../../shared/constants';
import { telemetryBatch, telemetryEvent } from '../../../shared/telemetry-schema';
import { isDiskFull } from '../../disk/disk';
import type { FreeSpaceGuard } from '../../disk/free-space-guard';
import { engineOf } from '../../sql/engine';
import type { Store } from '../../sql/store';
import {
  createIngest,
  type Ingest,
  IngestOverloadedError,
  type IngestResult,
  StoreBusyError,
  StoreUnavailableError,
} from '../../telemetry/ingest';
import { secondsToNextUtcDay } from '../../telemetry/ingest-common';
import {
  addressDailyQuota,
  DEFAULT_INGEST_LIMITS,
  DISK_FULL_RETRY_AFTER_S,
  type IngestLimits,
  windowCounter,
} from '../../telemetry/ingest-limits';
import { isPostgresDiskFull } from '../../telemetry/store-errors';

function refuseDiskFull(reply: FastifyReply) {
  return reply
    .code(507)
    .header('retry-after', String(DISK_FULL_RETRY_AFTER_S))
    .send({ code: 'storage-full', message: 'The telemetry store is full: nothing was stored.' });
}

/** Every field name the batch schema knows: an error message may name these, never a client's own key. */
const KNOWN_FIELDS = new Set([
  'v',
  'deviceId',
  'events',
  ...telemetryEvent.options.flatMap((o) => Object.keys(o.entries)),
]);

/** Where a batch failed, in the schema's own words (indexes and known field names only). */
function whereInvalid(path: readonly { key: unknown }[] | undefined): string {
  const keys = (path ?? []).map((p) => p.key);
  if (keys.length === 0) return 'body';
  if (!keys.every((k) => typeof k === 'number' || KNOWN_FIELDS.has(String(k)))) return 'an unknown field';
  return keys.map(String).join('.');
}

/** 503 and when to come back: nothing was stored. */
function refuseForNow(reply: FastifyReply, code: 'busy' | 'store-unavailable', message: string) {
  return reply.code(503).header('retry-after', '5').send({ code, message });
}

/** PostgreSQL's disk is not this machine's: only its own "disk full" says so. */
export { NO_GUARD } from '../../disk/free-space-guard';

/** The guard the ingest and /readyz share: DATA_DIR's free space on SQLite, none on PostgreSQL. */
export function ingestDiskGuard(store: Store, limits: IngestLimits): FreeSpaceGuard {
  return engineOf(store).diskGuard(limits.minFreeBytes);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Why the ingest refused this batch, when its status alone does not say (http/metrics.ts). */
    telemetryRefusal: string | null;
  }
}

/** 429 until the next UTC day (of the clock the quota was counted on): the day's quota is spent. */
function refuseOverQuota(request: FastifyRequest, reply: FastifyReply, result: IngestResult) {
  const overShare = result.refusedOverShare > 0;
  request.telemetryRefusal = overShare ? 'address-quota-exceeded' : 'daily-quota-exceeded';
  return reply
    .code(429)
    .header('retry-after', String(secondsToNextUtcDay(result.at)))
    .send({
      code: request.telemetryRefusal,
      message: overShare
        ? "This address has sent its share of the pool's telemetry for today: try again tomorrow (UTC)."
        : "The pool's telemetry quota for today is spent: try again tomorrow (UTC).",
      stored: result.stored,
      duplicates: result.duplicates,
      refused: result.refused,
    });
}

export interface TelemetryRouteOptions {
  /** The arrival clock (tests); by default SQLite's is the node's and PostgreSQL's the database's. */
  now?: () => number;
  /** The free-space guard, shared with /readyz (http/app.ts); by default one of its own. */
  diskGuard?: FreeSpaceGuard;
}

/**
 * The ingest route over the store (SQLite in DATA_DIR, or the shared PostgreSQL); `secret` keys the
 * UserID HMAC (secrets/secret.ts). Returns the ingest, whose waiting batches are committed on close.
 */
export function registerTelemetryRoutes(
  app: FastifyInstance,
  store: Store,
  secret: Buffer,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
  options: TelemetryRouteOptions = {},
): Ingest {
  const ingest = createIngest(store, secret, options.now);
  const perAddress = windowCounter(limits.eventsPerAddressPerMinute, options.now);
  const perPool = windowCounter(limits.eventsPerPoolPerMinute, options.now);
  const diskGuard = options.diskGuard ?? ingestDiskGuard(store, limits);
  app.decorateRequest('telemetryRefusal', null);
  // Draining (SIGTERM): batches waiting for the next group commit are committed before the store closes.
  app.addHook('onClose', async () => ingest.flush());
  /** The ingest's own prefix: its CORS (preflight included) covers nothing else. */
  const prefix = TELEMETRY_PATH.slice(0, TELEMETRY_PATH.indexOf('/', 1));
  const batchPath = TELEMETRY_PATH.slice(prefix.length);
  app.register(
    async (scope) => {
      // Any Origin that reached here names a pool (pool-context.ts refused the rest): the page may
      // read the answer. The preflight of a JSON POST from another origin is answered here too.
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
            // Batches per address, before the body is read (a refused body is never read: the
            // connection is closed, http/http-limits.ts).
            rateLimit: {
              max: limits.batchesPerAddressPerMinute,
              timeWindow: 60_000,
              hook: 'onRequest',
              keyGenerator: (request: FastifyRequest) => `${request.pool.fqdn}|${request.ip}`,
            },
          },
          onRequest: async (request, reply) => {
            reply.header('cache-control', 'no-store');
            if (request.poolConfig.MeetingUxEnableTelemetry !== true) {
              return reply.code(403).send({ code: 'telemetry-disabled', message: 'Telemetry is off for this pool.' });
            }
            if (!diskGuard.hasRoom()) return refuseDiskFull(reply);
          },
        },
        async (request, reply) => {
          const batch = v.safeParse(telemetryBatch, request.body);
          if (!batch.success) {
            const where = whereInvalid(batch.issues[0].path);
            return reply.code(400).send({ code: 'invalid-batch', message: `Invalid telemetry batch at ${where}.` });
          }
          const events = batch.output.events.length;
          const pool = request.pool.fqdn;
          const limited = perAddress.take(`${pool}|${request.ip}`, events);
          const pooled = limited.ok ? perPool.take(pool, events) : limited;
          if (!pooled.ok) {
            return reply
              .code(429)
              .header('retry-after', String(pooled.retryAfterS))
              .send({ code: 'rate-limited', message: 'Too many telemetry events: try again later.' });
          }
          try {
            const maxPerDay = request.poolConfig.TelemetryMaxEventsPerDay;
            const result = await ingest.submit(pool, batch.output, maxPerDay, {
              address: request.ip,
              maxPerDay: addressDailyQuota(maxPerDay, limits.addressShareOfDailyQuota),
            });
            app.metrics?.telemetryStored(result.stored, result.duplicates);
            if (result.refused > 0) return refuseOverQuota(request, reply, result);
            return reply.code(200).send({ stored: result.stored, duplicates: result.duplicates, refused: 0 });
          } catch (error) {
            if (isDiskFull(error) || isPostgresDiskFull(error)) {
              diskGuard.sawFull();
              return refuseDiskFull(reply);
            }
            if (error instanceof StoreBusyError || error instanceof IngestOverloadedError) {
              return refuseForNow(reply, 'busy', 'The store is busy: try again shortly.');
            }
            if (error instanceof StoreUnavailableError) {
              // One line per refused batch, without a stack: an outage is not a bug in this code.
              request.log.warn({ reason: error.message }, 'telemetry store unavailable');
              return refuseForNow(
                reply,
                'store-unavailable',
                'The telemetry store cannot be reached: try again later.',
              );
            }
            throw error;
          }
        },
      );
    },
    { prefix },
  );
  return ingest;
}
