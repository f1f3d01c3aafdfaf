/**
 * The server's log: one JSON line per event (Fastify's logger, pino), level from LOG_LEVEL
 * (default info). Each request is logged once, when answered, with its request id, method, route
 * pattern (`/api/v1/participants/:id/events`, never the concrete path or its query string, which
 * carry tokens and names), status and duration; errors are logged with their stack. Every line
 * carries `node` (NODE_NAME), so the lines of many nodes can be told apart. Headers and
 * bodies are never logged, so no token, organizer key, display name or chat text reaches the log.
 */
import os from 'node:os';
import type { Writable } from 'node:stream';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogOptions {
  level: LogLevel;
  /** Where the lines go (stdout unless given: tests pass a stream to read them back). */
  stream?: Writable;
  /** This node's name (NODE_NAME), on every line as `node`. */
  nodeName?: string;
}

export function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') return 'info';
  const level = raw.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${raw}"`);
  }
  return level as LogLevel;
}

/** Fastify's `logger` option: no request/response serializers that could carry a URL or header. */
export function loggerOptions(options: LogOptions): FastifyServerOptions['logger'] {
  return {
    level: options.level,
    ...(options.stream ? { stream: options.stream } : {}),
    ...(options.nodeName ? { base: { pid: process.pid, hostname: os.hostname(), node: options.nodeName } } : {}),
    serializers: {
      // The default serializers log the URL with its query string and the remote address.
      req: (request: { method?: string }) => ({ method: request.method }),
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
    },
    redact: { paths: ['req.headers', 'req.url', 'req.query', 'req.body', '*.token', '*.organizerKey'], remove: true },
  };
}

/** Load balancers and monitors poll these every few seconds: at info they would drown the log. */
const PROBE_ROUTES = new Set(['/readyz', '/healthz']);

/** One line per answered request, with the route pattern instead of the URL; probes at debug. */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '(no route)';
    request.log[PROBE_ROUTES.has(route) ? 'debug' : 'info'](
      {
        method: request.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
}
