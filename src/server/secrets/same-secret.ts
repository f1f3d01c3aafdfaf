/** Secrets compared in constant time, and the bearer token of a request, parsed in one place. */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of `Authorization: Bearer <token>`, or '' (which matches no secret). */
export function bearerToken(request: FastifyRequest): string {
  return /^Bearer ([^\s]+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
}
