/**
 * Static files from dist/: hashed assets cached for a year, everything else `no-store`. Only files
 * that exist get routes (no wildcard), dotfiles (dist/.vite) are never served, and odd paths are
 * refused before routing (path-guard.ts). Any other GET falls back to the page, which shows the
 * meeting or explains what is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseMeetingPath } from '../../shared/meeting-url';
import { isResourcePath, pathVerdict } from './path-guard';

/** Answers a request whose path is odd: the page (404) for a page path, a plain 400 otherwise. */
export type OddPathAnswer = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

export async function registerPageRoutes(app: FastifyInstance, distDir: string): Promise<OddPathAnswer> {
  const indexFile = path.join(distDir, 'index.html');
  const indexHtml = fs.existsSync(indexFile) ? fs.readFileSync(indexFile) : undefined;

  const sendPage = (reply: FastifyReply, status: number) =>
    indexHtml
      ? reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(indexHtml)
      : reply.code(503).type('text/plain; charset=utf-8').send('The page is not built yet: run "npm run build".');

  // A file or API path that is odd is refused; a page path gets the page, which explains the link.
  const answerOddPath: OddPathAnswer = (request, reply) => {
    const rawPath = request.raw.url?.split('?')[0] ?? '/';
    if (isResourcePath(rawPath) || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return reply.code(400).send({ code: 'bad-path', message: 'This address is not valid.' });
    }
    return sendPage(reply, 404);
  };

  app.addHook('onRequest', async (request, reply) => {
    if (pathVerdict(request.raw.url?.split('?')[0] ?? '/') === 'odd') return answerOddPath(request, reply);
  });

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
    // The page explains an invalid link itself; the status tells crawlers and tools the same.
    return sendPage(reply, parseMeetingPath(pathname).ok ? 200 : 404);
  });
  return answerOddPath;
}
