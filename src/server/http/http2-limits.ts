/**
 * The deadlines of http-limits.ts for HTTP/2, which Node's HTTP/1 checks never see (an HTTP/2
 * connection is a session of many streams):
 * - a session must open its first stream within the head's deadline (a TLS connection that
 *   says nothing, or drips a header block, is closed);
 * - a session with no open stream is kept for the keep-alive, then closed (GOAWAY), whatever
 *   PING or SETTINGS frames it sends meanwhile; the socket's own idle timeout (Node's, which
 *   closed sessions at 60 s) is lifted for it, so the keep-alive outlasts a balancer's;
 * - a stream must have its whole request (body included) within the request deadline: past it
 *   the answer is 408 (if none was given yet) and the stream is closed;
 * - a stream with nothing moving either way for the idle timeout is closed.
 */

import type { Http2Session, ServerHttp2Stream } from 'node:http2';
import { constants } from 'node:http2';
import type { Server } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { PRODUCT_DEFAULTS } from '../../shared/config-schema';
import type { TransportLimits } from './http-limits';
import { MESSAGES } from './limits';
import { securityHeaders } from './routes/security-headers';

/** A session asked to close (GOAWAY) that still holds its socket after this is destroyed. */
const CLOSE_GRACE_MS = 1_000;

type Deadlines = Pick<
  TransportLimits,
  'headersTimeoutMs' | 'requestTimeoutMs' | 'socketIdleTimeoutMs' | 'keepAliveTimeoutMs'
>;

export function limitHttp2(server: Server, limits: Deadlines): void {
  server.on('secureConnection', (socket: TLSSocket) => {
    // Node's HTTP/2 handler set the server's idle timeout on this socket just before (it closes the
    // session, keep-alive or not): the session's own timers below replace it.
    if (socket.alpnProtocol === 'h2') socket.setTimeout(0);
  });
  server.on('session', (session: Http2Session) => watchSession(session, limits));
  server.on('stream', (stream: ServerHttp2Stream, _headers: unknown, flags: number) =>
    watchStream(stream, flags, limits),
  );
}

function watchSession(session: Http2Session, limits: Deadlines): void {
  let open = 0;
  let idle: NodeJS.Timeout | undefined;
  const closeIdle = () => {
    if (session.closed || session.destroyed) return;
    session.close();
    setTimeout(() => session.destroy(), CLOSE_GRACE_MS).unref();
  };
  // The first stream must come within the head's deadline; after that, idle is the keep-alive.
  idle = setTimeout(closeIdle, limits.headersTimeoutMs);
  idle.unref();
  session.on('stream', (stream: ServerHttp2Stream) => {
    open++;
    clearTimeout(idle);
    stream.once('close', () => {
      open--;
      if (open > 0 || session.destroyed) return;
      idle = setTimeout(closeIdle, limits.keepAliveTimeoutMs);
      idle.unref();
    });
  });
  session.once('close', () => clearTimeout(idle));
}

function watchStream(stream: ServerHttp2Stream, flags: number, limits: Deadlines): void {
  stream.setTimeout(limits.socketIdleTimeoutMs, () => stream.close(constants.NGHTTP2_CANCEL));
  // A request whose headers ended it (GET, HEAD, an event stream) has no body to wait for.
  if (flags & constants.NGHTTP2_FLAG_END_STREAM) return;
  const deadline = setTimeout(() => {
    if (stream.destroyed || stream.state.remoteClose) return;
    if (stream.headersSent) {
      stream.close(constants.NGHTTP2_CANCEL);
      return;
    }
    const [code, message] = MESSAGES[408] as [string, string];
    stream.respond({
      ...securityHeaders(PRODUCT_DEFAULTS, true),
      ':status': 408,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    // The rest of the body is not wanted: the stream is reset once the answer is out.
    stream.end(JSON.stringify({ code, message }), () => stream.close(constants.NGHTTP2_CANCEL));
  }, limits.requestTimeoutMs);
  deadline.unref();
  stream.once('close', () => clearTimeout(deadline));
}
