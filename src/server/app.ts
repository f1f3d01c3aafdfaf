/** The pool web service: one Fastify app, the pool chosen per request by the Host header. */
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { PRODUCT_DEFAULTS } from '../shared/config-schema';
import { type LiveLimits, LiveMeetings } from './conference/live';
import type { SseOptions } from './conference/sse';
import type { Db } from './db';
import { registerHttpLimits, SERVER_TIMEOUTS } from './http-limits';
import { API_BODY_LIMIT_BYTES, DEFAULT_RATE_LIMIT_PER_MINUTE, errorHandler, withDefaultRateLimit } from './limits';
import { type LogOptions, loggerOptions, registerRequestLog } from './logging';
import { clientErrorHandler } from './routes/client-errors';
import { registerConferenceRoutes } from './routes/conference';
import { registerConfigRoutes } from './routes/config';
import { registerDialInRoutes } from './routes/dialin';
import { type OddPathAnswer, registerPageRoutes } from './routes/pages';
import { registerPoolContext } from './routes/pool-context';
import { registerSecurityHeaders, securityHeaders } from './routes/security-headers';
import { registerTelemetryRoutes } from './routes/telemetry';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './telemetry/ingest-limits';

/** Below this a compressed answer saves less than it costs. */
const COMPRESS_THRESHOLD_BYTES = 512;
/** Text we serve; the event stream is hijacked and never passes through here. */
const COMPRESSIBLE_TYPES =
  /^(?:text\/(?:html|css|javascript|plain)|application\/(?:json|javascript)|image\/svg\+xml)\b/;

export interface AppOptions {
  db: Db;
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
  /** Event-stream heartbeat and unsent-bytes limit (default sse.ts). */
  sse?: SseOptions;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  let answerOddPath: OddPathAnswer = (_request, reply) =>
    reply.code(400).send({ code: 'bad-path', message: 'This address is not valid.' });
  // This process never waits synchronously for another process's write lock: better-sqlite3 would
  // block the event loop for the whole wait. Writers here retry on a timer instead (ingest, purge).
  options.db.pragma('busy_timeout = 0');
  const app = Fastify({
    logger: options.log ? loggerOptions(options.log) : false,
    // One line per request, written by logging.ts with the route pattern instead of the URL.
    logController: new LogController({ disableRequestLogging: true }),
    ...SERVER_TIMEOUTS,
    clientErrorHandler,
    bodyLimit: API_BODY_LIMIT_BYTES,
    // The page and API never take more than a couple of path segments of modest size.
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
    // A path the router cannot decode is answered like any other odd path (never echoed back).
    // Answered before routing, so no hook runs: the headers are set here (product defaults; the
    // pool is not known yet).
    frameworkErrors: (error, request, reply) => {
      reply.headers(securityHeaders(PRODUCT_DEFAULTS));
      return error.code === 'FST_ERR_BAD_URL' ? answerOddPath(request, reply) : errorHandler(error, request, reply);
    },
  });
  app.setErrorHandler(errorHandler);
  registerHttpLimits(app);
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
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  registerPoolContext(app, options.db);
  registerSecurityHeaders(app);
  registerConfigRoutes(app);
  registerConferenceRoutes(app, options.db, new LiveMeetings(options.liveLimits), options.sse);
  registerTelemetryRoutes(app, options.db, options.secret, { ...DEFAULT_INGEST_LIMITS, ...options.ingestLimits });
  registerDialInRoutes(app, options.db);
  answerOddPath = await registerPageRoutes(app, options.distDir);
  return app;
}
