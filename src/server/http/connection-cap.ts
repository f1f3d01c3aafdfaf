/**
 * At most `max` open connections per client address, so slow clients from one address cannot
 * take every file descriptor of the process while others still get answered.
 * - A direct client is counted by its socket's address as the connection opens (before TLS, before
 *   any request); one past the cap is closed at once, which costs nothing to keep.
 * - A connection from a trusted reverse proxy (TRUST_PROXY) is not counted: a proxy is many
 *   clients. Each of its requests is counted under the forwarded client address instead, while it
 *   is open (a proxy opens one upstream connection or stream per request it is waiting on); one
 *   past the cap is answered 429 `too-many-connections`.
 * - Over HTTP/2 one connection carries many requests (up to 100 streams at once): a direct client's
 *   open streams, over all its connections, are counted under its address too, with the same cap,
 *   so 256 connections cannot hold 25,600 requests. One past it is answered 429
 *   `too-many-connections` before its body is read.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** Seconds a client over the cap is asked to wait. */
const RETRY_AFTER_S = 10;

export function capConnectionsPerAddress(
  app: FastifyInstance,
  max: number,
  isTrustedProxy: (address: string) => boolean,
): void {
  const open = new Map<string, number>();
  const take = (address: string): boolean => {
    const count = open.get(address) ?? 0;
    if (count >= max) return false;
    open.set(address, count + 1);
    return true;
  };
  const give = (address: string) => {
    const left = (open.get(address) ?? 1) - 1;
    if (left > 0) open.set(address, left);
    else open.delete(address);
  };
  // 'connection' is the TCP connection on the plain and the TLS server alike.
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || isTrustedProxy(address)) return;
    if (!take(address)) {
      socket.destroy();
      return;
    }
    socket.once('close', () => give(address));
  });
  app.addHook('onRequest', async (request, reply) => {
    const peer = request.socket.remoteAddress;
    if (peer === undefined) return;
    const proxied = isTrustedProxy(peer);
    // A direct HTTP/1.1 request is its connection, counted above; an HTTP/2 one is a stream.
    if (!proxied && request.raw.httpVersionMajor < 2) return;
    const address = proxied ? `forwarded ${request.ip}` : `streams ${peer}`;
    if (!take(address)) {
      return reply
        .code(429)
        .header('retry-after', String(RETRY_AFTER_S))
        .send({ code: 'too-many-connections', message: 'Too many open connections or requests from this address.' });
    }
    reply.raw.once('close', () => give(address));
  });
}
