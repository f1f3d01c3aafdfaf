/** The pool web service: one Fastify app, the pool chosen per request by the Host header. */
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { LiveMeetings } from './conference/live';
import type { Db } from './db';
import { registerConferenceRoutes } from './routes/conference';
import { registerConfigRoutes } from './routes/config';
import { registerDialInRoutes } from './routes/dialin';
import { registerPageRoutes } from './routes/pages';
import { registerPoolContext } from './routes/pool-context';
import { registerSecurityHeaders } from './routes/security-headers';
import { registerTelemetryRoutes } from './routes/telemetry';

export interface AppOptions {
  db: Db;
  secret: Buffer;
  distDir: string;
  logger?: boolean;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 64 * 1024,
    // The page and API never take more than a couple of path segments of modest size.
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
  });
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error(error);
    const code =
      status === 413
        ? 'body-too-large'
        : status === 429
          ? 'rate-limited'
          : status >= 500
            ? 'server-error'
            : 'bad-request';
    // Messages are our own words, never the input echoed back.
    const message = status >= 500 ? 'Something went wrong on the server.' : (error.message ?? 'Bad request.');
    return reply.code(status).send({ code, message });
  });
  await app.register(rateLimit, { global: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  registerPoolContext(app, options.db);
  registerSecurityHeaders(app, options.db);
  registerConfigRoutes(app, options.db);
  registerConferenceRoutes(app, options.db, new LiveMeetings());
  registerTelemetryRoutes(app, options.db, options.secret);
  registerDialInRoutes(app, options.db);
  await registerPageRoutes(app, options.distDir);
  return app;
}
