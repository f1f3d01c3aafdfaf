/**
 * Body and rate limits, and the one error handler. Error answers are JSON in our own words: never
 * the input echoed back (a Content-Type, a JSON parser's snippet of the body, a path), never HTML.
 */
import type { FastifyError, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { SERVICE_PATH } from '../../shared/constants';
import { isStoreUnavailable, STORE_UNAVAILABLE_MESSAGE } from '../sql/unavailable';
import { isClientAbort } from '../telemetry/store-errors';

/** Seconds a client is asked to wait when the store cannot be reached. */
export const STORE_UNAVAILABLE_RETRY_AFTER_S = 5;

/** Per client address and route: generous for many people behind one NAT, tight for a flood. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
/** Every API body; the telemetry ingest sets its own (MAX_BATCH_BYTES). */
export const API_BODY_LIMIT_BYTES = 64 * 1024;

/** Gives an API, config or ingest route the default rate limit unless it set its own. */
export function withDefaultRateLimit(route: RouteOptions, perMinute: number): void {
  if (!SERVICE_PATH.test(route.url)) return;
  const config = (route.config ?? {}) as { rateLimit?: unknown };
  if (config.rateLimit !== undefined) return;
  route.config = { ...config, rateLimit: { max: perMinute, timeWindow: '1 minute' } } as RouteOptions['config'];
}

export const MESSAGES: Record<number, [code: string, message: string]> = {
  400: ['bad-request', 'The request is not valid.'],
  401: ['unauthorized', 'This request needs credentials.'],
  403: ['forbidden', 'This request is not allowed.'],
  404: ['not-found', 'No such resource.'],
  405: ['method-not-allowed', 'This method is not allowed here.'],
  406: ['not-acceptable', 'No acceptable representation.'],
  408: ['timeout', 'The request took too long.'],
  413: ['body-too-large', 'The request body is too large.'],
  414: ['uri-too-long', 'The address is too long.'],
  415: ['unsupported-media-type', 'This content type is not accepted here.'],
  429: ['rate-limited', 'Too many requests: try again in a minute.'],
  431: ['headers-too-large', 'The request headers are too large.'],
};

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isClientAbort(error, request.raw)) {
    // The client went away mid-upload: nobody reads the answer, and nothing is wrong here.
    request.log.info({ code: error.code }, 'client aborted the request');
    return reply
      .code(400)
      .type('application/json; charset=utf-8')
      .send({ code: 'aborted', message: 'The request was aborted.' });
  }
  if (isStoreUnavailable(error)) {
    // Not a crash and not a bug: the store (PostgreSQL) is down or unreachable. One line, no stack.
    request.log.error({ code: (error as { code?: unknown }).code, message: error.message }, 'store unavailable');
    return reply
      .code(503)
      .header('retry-after', String(STORE_UNAVAILABLE_RETRY_AFTER_S))
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send({ code: 'store-unavailable', message: STORE_UNAVAILABLE_MESSAGE });
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) request.log.error(error);
  const [code, message] =
    MESSAGES[status] ??
    (status >= 500
      ? ['server-error', 'Something went wrong on the server.']
      : ['bad-request', 'The request is not valid.']);
  return reply.code(status).type('application/json; charset=utf-8').send({ code, message });
}
