/**
 * Timeouts and connection hygiene of the HTTP server, so slow or hostile clients cannot hold its
 * file descriptors:
 * - the request head must arrive within HEADERS_TIMEOUT_MS and the whole request (body included)
 *   within REQUEST_TIMEOUT_MS (Node answers 408 and closes);
 * - a connection with nothing moving either way for SOCKET_IDLE_TIMEOUT_MS is closed (event
 *   streams send a heartbeat well inside it);
 * - an idle keep-alive connection is kept KEEP_ALIVE_TIMEOUT_MS, longer than the 60 s idle timeout
 *   of common load balancers, so the balancer, not us, closes first (no request lost in the race);
 * - an error answer sent before the request body was read closes the connection, so a refused
 *   upload (403, 413, 429, 507) does not keep its socket.
 */
import type { FastifyInstance } from 'fastify';

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 15_000;
export const SOCKET_IDLE_TIMEOUT_MS = 60_000;
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;

/** The Fastify server options that carry the timeouts. */
export const SERVER_TIMEOUTS = {
  connectionTimeout: SOCKET_IDLE_TIMEOUT_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
} as const;

export function registerHttpLimits(app: FastifyInstance): void {
  app.server.headersTimeout = HEADERS_TIMEOUT_MS;
  app.addHook('onSend', async (request, reply) => {
    // `complete` is false while the body is still on the wire: we will not read it, so do not
    // keep the socket waiting for it.
    if (reply.statusCode >= 400 && !request.raw.complete) reply.header('connection', 'close');
  });
}
