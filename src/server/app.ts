/** The pool web service: one Fastify app, the pool chosen per request by the Host header. */
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { LiveMeetings } from './conference/live';
import type { Db } from './db';
import { API_BODY_LIMIT_BYTES, DEFAULT_RATE_LIMIT_PER_MINUTE, errorHandler, withDefaultRateLimit } from './limits';
import { registerConferenceRoutes } from './routes/conference';
import { registerConfigRoutes } from './routes/config';
import { registerDialInRoutes } from './routes/dialin';
import { type OddPathAnswer, registerPageRoutes } from './routes/pages';
import { registerPoolContext } from './routes/pool-context';
import { registerSecurityHeaders } from './routes/security-headers';
import { registerTelemetryRoutes } from './routes/telemetry';

/** Below this a compressed answer saves less than it costs. */
const COMPRESS_THRESHOLD_BYTES = 512;
/** Text we serve; the event stream is hijacked and never passes through here. */
const COMPRESSIBLE_TYPES =
  /^(?:text\/(?:html|css|javascript|plain)|application\/(?:json|javascript)|image\/svg\+xml)\b/;

export interface AppOptions {
  db: Db;
  secret: Buffer;
  distDir: string;
  logger?: boolean;
  /** Requests per minute per client address on each API/config/ingest route (default 600). */
  rateLimitPerMinute?: number;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  let answerOddPath: OddPathAnswer = (_request, reply) =>
    reply.code(400).send({ code: 'bad-path', message: 'This address is not valid.' });
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: API_BODY_LIMIT_BYTES,
    // The page and API never take more than a couple of path segments of modest size.
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
    // A path the router cannot decode is answered like any other odd path (never echoed back).
    frameworkErrors: (error, request, reply) =>
      error.code === 'FST_ERR_BAD_URL' ? answerOddPath(request, reply) : errorHandler(error, request, reply),
  });
  app.setErrorHandler(errorHandler);
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
  registerSecurityHeaders(app, options.db);
  registerConfigRoutes(app, options.db);
  registerConferenceRoutes(app, options.db, new LiveMeetings());
  registerTelemetryRoutes(app, options.db, options.secret);
  registerDialInRoutes(app, options.db);
  answerOddPath = await registerPageRoutes(app, options.distDir, options.db);
  return app;
}
