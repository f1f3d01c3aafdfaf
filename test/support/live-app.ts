/** A real app listening on a port, with its live meetings given (e.g. a PostgreSQL node), for route tests over HTTP. */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../../src/server/app';

export interface ListeningApp {
  app: FastifyInstance;
  /** http://127.0.0.1:<port>/api/v1 */
  base: string;
  close(): Promise<void>;
}

export async function listeningApp(options: AppOptions): Promise<ListeningApp> {
  const app = await buildApp(options);
  const sockets = new Set<Socket>();
  let closing = false;
  app.server.on('connection', (socket: Socket) => {
    if (closing) socket.destroy();
    else sockets.add(socket);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`,
    async close() {
      // fetch sometimes opens a connection it never sends a request on (also while the app
      // closes); the server would wait for its idle timeout (60 s) before closing.
      closing = true;
      for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
      await app.close();
    },
  };
}
