/**
 * What closing the listener does not do by itself. An HTTP/2 session (one per browser, kept open
 * for reuse) holds `server.close()` until the browser lets go, so a drain asks every session to
 * finish (GOAWAY: streams in flight complete, no new ones). And when the deadline nears, every
 * connection still open is cut, whatever the protocol (the HTTP/2 server has no closeAllConnections).
 */

import type { Http2Session } from 'node:http2';
import type { Server, Socket } from 'node:net';

/** Past this, the drain gives up waiting for slow clients: connections are cut, then the process exits. */
export const DRAIN_DEADLINE_MS = 10_000;

export interface Connections {
  /** Asks each HTTP/2 session to end once its streams are done. */
  closeSessions(): void;
  /** Destroys every connection still open. */
  cutAll(): void;
}

export function trackConnections(server: Server): Connections {
  const sessions = new Set<Http2Session>();
  const sockets = new Set<Socket>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const onSocket = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  server.on('connection', onSocket);
  server.on('secureConnection', onSocket);
  return {
    closeSessions() {
      for (const session of sessions) session.close();
    },
    cutAll() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  };
}
