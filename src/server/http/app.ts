/** The pool web service: one Fastify app, the pool chosen per request by the Host header. */
import os from 'node:os';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { PRODUCT_DEFAULTS } from '../../shared/config-schema';
import { TELEMETRY_PATH } from '../../shared/constants';
import { createLiveMeetings, type Live, type LiveLimits } from '../live/live';
import { sweepRemovedMeetings } from '../live/removed-sweep';
import type { SseOptions } from '../live/sse';
import { engineOf } from '../sql/engine';
import type { Store } from '../sql/store';
import { isStoreUnavailable } from '../sql/unavailable';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../telemetry/ingest-limits';
import { isClientAbort } from '../telemetry/store-errors';
import type { LinkStyle } from '../topology/links';
import {
  DEFAULT_TRANSPORT_LIMITS,
  registerHttpLimits,
  serverOptions,
  type TransportLimits,
  tlsServerOptions,
} from './http-limits';
import { API_BODY_LIMIT_BYTES, DEFAULT_RATE_LIMIT_PER_MINUTE, errorHandler, withDefaultRateLimit } from './limits';
import { type LogOptions, loggerOptions, registerRequestLog } from './logging';
import type { Metrics } from './metrics';
import { clientErrorHandler } from './routes/client-errors';
import { registerConfigRoutes } from './routes/config';
import { registerDialInRoutes } from './routes/dialin';
import { type Lifecycle, registerHealthRoutes } from './routes/health';
import { registerMediaRoutes } from './routes/media';
import { registerConferenceRoutes } from './routes/meetings';
import { type OddPathAnswer, registerPageRoutes } from './routes/pages';
import { registerPoolContext } from './routes/pool-context';
import { registerScheduleRoutes, type ScheduleOptions } from './routes/schedule';
import { registerSecurityHeaders, securityHeaders } from './routes/security-headers';
import { ingestDiskGuard, registerTelemetryRoutes } from './routes/telemetry';
import { trustedProxyMatcher } from './trusted-proxies';

/** Below this a compressed answer saves less than it costs. */
const COMPRESS_THRESHOLD_BYTES = 512;
/** Text we serve; the event stream is hijacked and never passes through here. */
const COMPRESSIBLE_TYPES =
  /^(?:text\/(?:html|css|javascript|plain)|application\/(?:json|javascript)|image\/svg\+xml)\b/;

export interface AppOptions {
  /** The store: SQLite in DATA_DIR, or the shared PostgreSQL (sql/store.ts). */
  store: Store;
  secret: Buffer;
  distDir: string;
  /** Structured JSON logs (logging.ts); none when left out (tests). */
  log?: LogOptions;
  /** Requests per minute per client address on each API/config/ingest route (default 600). */
  rateLimitPerMinute?: number;
  /** The ingest's per-address, per-pool and free-space limits (default DEFAULT_INGEST_LIMITS). */
  ingestLimits?: Partial<IngestLimits>;
  /** Seats, lobby and stream limits of live meetings (default DEFAULT_LIMITS). */
  liveLimits?: Partial<LiveLimits>;
  /**
   * The live meetings (live/live.ts createLiveMeetings); the caller closes them after the
   * app. Default: made on the store (engine.ts chooses how its processes hear of changes) with
   * liveLimits and the log's node name, closed with the app.
   */
  live?: Live;
  /** Event-stream heartbeat and unsent-bytes limit (default sse.ts). */
  sse?: SseOptions;
  /**
   * Addresses or CIDRs of reverse proxies whose X-Forwarded-For / -Proto / -Host are believed
   * (TRUST_PROXY); the client address, scheme and host then come from them.
   */
  trustProxy?: string[];
  /** Deadlines, connections per address and HTTP/2 streams (default http-limits.ts; tests shorten them). */
  transport?: Partial<TransportLimits>;
  /** Listen with TLS, HTTP/2 where the client offers it (TLS_CERT_FILE, TLS_KEY_FILE). */
  tls?: { key: Buffer; cert: Buffer };
  /** The scheduling API's lock wait and key-use flush interval (defaults in routes/schedule.ts). */
  schedule?: ScheduleOptions;
  /** How links returned by the scheduling API are written (default: the demo's http://host:port). */
  links?: () => LinkStyle;
  metrics?: Metrics;
  /** coturn's `static-auth-secret` (TURN_SECRET): TURN credentials for pages are made from it. */
  turnSecret?: string;
  /** The clock of the media signalling's rate buckets (tests hand one in). */
  mediaNow?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** `accepting` turns false when the service drains (SIGTERM); /readyz then answers 503. */
    lifecycle: Lifecycle;
    metrics: Metrics | null;
  }
}

/** The reason a refused telemetry batch is counted under, by status. */
const REFUSAL_REASONS: Record<number, string> = {
  400: 'invalid-batch',
  403: 'telemetry-disabled',
  413: 'too-large',
  415: 'unsupported-media-type',
  // The daily quotas' 429s name themselves (routes/telemetry.ts): this is the per-minute limit.
  429: 'rate-limited',
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  let answerOddPath: OddPathAnswer = (_request, reply) =>
    reply.code(400).send({ code: 'bad-path', message: 'This address is not valid.' });
  const { store } = options;
  // This process never waits synchronously for another process's write lock: better-sqlite3 would
  // block the event loop for the whole wait. Writers here retry on a timer instead (ingest, purge,
  // adminWrite). PostgreSQL's waits never block the event loop.
  engineOf(store).serveFromThisProcess();
  // With TLS the server speaks HTTP/2 to clients that offer it and HTTP/1.1 to the rest; Fastify's
  // types follow the server kind, and the routes only use what both kinds share.
  const transport = { ...DEFAULT_TRANSPORT_LIMITS, ...options.transport };
  const server: object = options.tls
    ? {
        http2: true as const,
        https: { allowHTTP1: true, key: options.tls.key, cert: options.tls.cert, ...tlsServerOptions(transport) },
      }
    : {};
  const trustProxy = options.trustProxy ?? [];
  const app = Fastify({
    ...server,
    trustProxy: trustProxy.length > 0 ? trustProxy : false,
    logger: options.log ? loggerOptions(options.log) : false,
    // One line per request, written by logging.ts with the route pattern instead of the URL.
    logController: new LogController({ disableRequestLogging: true }),
    ...serverOptions(transport),
    clientErrorHandler,
    bodyLimit: API_BODY_LIMIT_BYTES,
    // The page and API never take more than a couple of path segments of modest size.
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
    // A path the router cannot decode is answered like any other odd path (never echoed back).
    // Answered before routing, so no hook runs: the headers are set here (product defaults; the
    // pool is not known yet).
    frameworkErrors: (error, request, reply) => {
      reply.headers(securityHeaders(PRODUCT_DEFAULTS, request.protocol === 'https'));
      return error.code === 'FST_ERR_BAD_URL' ? answerOddPath(request, reply) : errorHandler(error, request, reply);
    },
  }) as unknown as FastifyInstance;
  const metrics = options.metrics ?? null;
  app.decorate('lifecycle', { accepting: true });
  app.decorate('metrics', metrics);
  if (metrics) observe(app, metrics);
  app.setErrorHandler(errorHandler);
  registerHttpLimits(app, transport, trustedProxyMatcher(trustProxy));
  registerRequestLog(app);
  // Every route of the API, config and telemetry ingest gets a rate limit unless it names its own.
  app.addHook('onRoute', (route) =>
    withDefaultRateLimit(route, options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE),
  );
  await app.register(rateLimit, { global: false });
  // Dynamic answers (the page, JSON) are compressed when worth it; hashed assets are served from the
  // build's own .br/.gz files (routes/pages.ts); request bodies are never taken compressed.
  await app.register(compress, {
    globalCompression: true,
    globalDecompression: false,
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_THRESHOLD_BYTES,
    customTypes: COMPRESSIBLE_TYPES,
    // The page (with its first screen's data) and JSON answers are a few KB: the best gzip costs
    // little here and keeps the launcher's first response inside the first TCP window.
    zlibOptions: { level: 9 },
  });
  const ingestLimits = { ...DEFAULT_INGEST_LIMITS, ...options.ingestLimits };
  // One free-space guard: while it refuses the ingest's writes, /readyz says so too.
  const diskGuard = ingestDiskGuard(store, ingestLimits);
  registerHealthRoutes(app, store, app.lifecycle, diskGuard);
  registerPoolContext(app, store.sql);
  registerSecurityHeaders(app);
  registerConfigRoutes(app);
  // In the store, on either engine (shared by every node on PostgreSQL).
  const live =
    options.live ??
    (await createLiveMeetings(store, options.liveLimits ?? {}, {
      nodeName: options.log?.nodeName ?? `${os.hostname()}:${process.pid}`,
      log: app.log,
    }));
  if (!options.live) app.addHook('onClose', async () => live.close());
  metrics?.watchLive(() => live.counts());
  registerConferenceRoutes(app, store.sql, live, options.sse);
  registerMediaRoutes(app, live, { turnSecret: options.turnSecret, now: options.mediaNow });
  const links =
    options.links ??
    (() => ({ kind: 'http' as const, port: (app.server.address() as { port?: number })?.port ?? 8080 }));
  registerScheduleRoutes(app, store, live, links, options.schedule);
  const stopSweep = sweepRemovedMeetings(store.sql, live);
  app.addHook('onClose', async () => stopSweep());
  registerTelemetryRoutes(app, store, options.secret, ingestLimits, { diskGuard });
  registerDialInRoutes(app, store.sql);
  answerOddPath = await registerPageRoutes(app, options.distDir, store.sql);
  return app;
}

function observe(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.request(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
    if (route === TELEMETRY_PATH && request.method === 'POST' && reply.statusCode !== 200) {
      const reason =
        request.telemetryRefusal ??
        (reply.statusCode === 403 && !request.pool ? 'unknown-origin' : REFUSAL_REASONS[reply.statusCode]);
      metrics.telemetryRefused(reason ?? String(reply.statusCode));
    }
  });
  app.addHook('onError', async (request, _reply, error) => {
    // A client that went away mid-upload is not a store error (its ECONNRESET looks like one).
    if (isClientAbort(error, request.raw)) return;
    if (String((error as { code?: unknown }).code ?? '').startsWith('SQLITE_') || isStoreUnavailable(error))
      metrics.storeError();
  });
}
