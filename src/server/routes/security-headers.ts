/** Security headers on every response, the CSP following the pool's telemetry endpoint. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db';
import { effectiveConfigFor } from '../store/config-store';

export function contentSecurityPolicy(telemetryEndpoint: string): string {
  const connect = ["'self'"];
  if (telemetryEndpoint) connect.push(new URL(telemetryEndpoint).origin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function registerSecurityHeaders(app: FastifyInstance, db: Db): void {
  app.addHook('onSend', async (request, reply) => {
    const config = request.pool ? effectiveConfigFor(db, request.pool) : undefined;
    reply.header('content-security-policy', contentSecurityPolicy(config?.TelemetryEndpoint ?? ''));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(self), microphone=(self), geolocation=(), payment=()');
    reply.header('x-frame-options', 'DENY');
    if (config) reply.header('strict-transport-security', `max-age=${config.HstsMaxAgeInSeconds}`);
  });
}
