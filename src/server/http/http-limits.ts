/**
 * Deadlines and connection hygiene of the HTTP server, so slow or hostile clients cannot hold its
 * file descriptors, the same on plain HTTP/1.1, HTTPS/1.1 and HTTP/2:
 * - the request head must arrive within `headersTimeoutMs` and the whole request (body included)
 *   within `requestTimeoutMs` (408, connection or stream closed);
 * - a connection (HTTP/1.1) or stream (HTTP/2) with nothing moving either way for
 *   `socketIdleTimeoutMs` is closed (event streams send a heartbeat well inside it);
 * - an idle keep-alive connection is kept `keepAliveTimeoutMs`, longer than the 60 s idle timeout
 *   of common load balancers, so the balancer, not us, closes first (no request lost in the race);
 * - an error answer sent before the request body was read closes the connection, so a refused
 *   upload (403, 413, 429, 507) does not keep its socket;
 * - one client address holds at most `maxConnectionsPerAddress` connections (connection-cap.ts).
 *
 * Fastify sets its timeouts on a plain HTTP/1 server only: here they are set on the TLS server's
 * HTTP/1.1 fallback too, and Node checks them every `checkIntervalMs` (its default, 30 s, made a
 * 15 s deadline 30 to 45 s). HTTP/2 sessions and streams get theirs in http2-limits.ts.
 */
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { capConnectionsPerAddress } from './connection-cap';
import { limitHttp2 } from './http2-limits';

export interface TransportLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  socketIdleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** How often Node looks for HTTP/1.1 requests past their head or request deadline. */
  checkIntervalMs: number;
  /** Open connections per client address (the forwarded one's requests behind a trusted proxy). */
  maxConnectionsPerAddress: number;
  /** Streams one HTTP/2 connection may have open at once (HTTP/2's SETTINGS_MAX_CONCURRENT_STREAMS). */
  maxConcurrentStreams: number;
}

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 15_000;
export const SOCKET_IDLE_TIMEOUT_MS = 60_000;
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;

export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = {
  headersTimeoutMs: HEADERS_TIMEOUT_MS,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  socketIdleTimeoutMs: SOCKET_IDLE_TIMEOUT_MS,
  keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
  checkIntervalMs: 1_000,
  // A browser holds one connection over HTTP/2 (TLS) and up to 6 over HTTP/1.1: this is a few
  // hundred people behind one NAT, and a quarter of a default 1,024-descriptor limit.
  maxConnectionsPerAddress: 256,
  // What browsers and nginx expect (nginx: 128); Node's default is unlimited.
  maxConcurrentStreams: 100,
};

/** The Fastify server options that carry the limits (Fastify applies some to HTTP/1 servers only). */
export function serverOptions(limits: TransportLimits) {
  return {
    connectionTimeout: limits.socketIdleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Fastify closes an HTTP/2 session with no traffic for this long: not before the keep-alive.
    http2SessionTimeout: limits.keepAliveTimeoutMs,
  };
}

/** What the TLS server is made with: the handshake counts against the head's deadline. */
export function tlsServerOptions(limits: TransportLimits) {
  return {
    handshakeTimeout: limits.headersTimeoutMs,
    settings: { maxConcurrentStreams: limits.maxConcurrentStreams },
  };
}

export function registerHttpLimits(
  app: FastifyInstance,
  limits: TransportLimits,
  isTrustedProxy: (address: string) => boolean,
): void {
  // Plain HTTP/1.1, or the TLS server's HTTP/1.1 fallback: Node's own deadlines.
  const server = app.server as Server & { connectionsCheckingInterval?: number };
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.setTimeout(limits.socketIdleTimeoutMs);
  // Read when the server starts listening (Node's setupConnectionsTracking).
  server.connectionsCheckingInterval = limits.checkIntervalMs;
  limitHttp2(app.server, limits);
  capConnectionsPerAddress(app, limits.maxConnectionsPerAddress, isTrustedProxy);
  app.addHook('onSend', async (request, reply) => {
    // `complete` is false while the body is still on the wire: we will not read it, so do not
    // keep the socket waiting for it (HTTP/2 has no such header: its stream is reset instead).
    if (reply.statusCode >= 400 && !request.raw.complete && request.raw.httpVersionMajor < 2)
      reply.header('connection', 'close');
  });
}
