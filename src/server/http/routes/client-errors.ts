/**
 * Answers for requests Node's HTTP parser refuses before Fastify sees them (malformed request
 * line, headers too large, too slow): our JSON error, the security headers every answer carries,
 * and the connection closed. Fastify's default writes none of the headers.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { PRODUCT_DEFAULTS } from '../../../shared/config-schema';
import { MESSAGES } from '../limits';
import { securityHeaders } from './security-headers';

function statusOf(code: string | undefined): number {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = statusOf(error.code);
  const [code, message] = MESSAGES[status] as [string, string];
  const body = JSON.stringify({ code, message });
  const headers: Record<string, string | number> = {
    ...securityHeaders(PRODUCT_DEFAULTS, 'encrypted' in socket && socket.encrypted === true),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
  };
  this.log.debug({ code: error.code, status }, 'refused by the HTTP parser');
  if (socket.writable) {
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${head}\r\n\r\n${body}`);
  }
  socket.destroy();
}
