/**
 * Static files from dist/: hashed assets cached for a year, everything else `no-store`.
 * Any other GET falls back to the page, which shows the meeting or explains what is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { parseMeetingPath } from '../../shared/meeting-url';

export async function registerPageRoutes(app: FastifyInstance, distDir: string): Promise<void> {
  const indexFile = path.join(distDir, 'index.html');
  const indexHtml = fs.existsSync(indexFile) ? fs.readFileSync(indexFile) : undefined;

  await app.register(fastifyStatic, {
    root: distDir,
    index: false,
    // Only files that exist get routes; every other path reaches the page fallback below.
    wildcard: false,
    dotfiles: 'deny',
    cacheControl: false,
    setHeaders(res, filePath) {
      const hashed = filePath.startsWith(path.join(distDir, 'assets') + path.sep);
      res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-store');
    },
  });

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return reply.code(404).send({ code: 'not-found', message: 'No such resource.' });
    }
    if (/^\/(api|config|telemetry|assets)\//.test(pathname)) {
      return reply.code(404).send({ code: 'not-found', message: 'No such resource.' });
    }
    if (!indexHtml) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The page is not built yet: run "npm run build".');
    }
    // The page explains an invalid link itself; the status tells crawlers and tools the same.
    const status = parseMeetingPath(pathname).ok ? 200 : 404;
    return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(indexHtml);
  });
}
