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
import { API_PREFIX } from '../../shared/constants';
import { DIALIN_PAGE_PATH, parseMeetingPath } from '../../shared/meeting-url';
import { isResourcePath, pathVerdict } from './path-guard';

/**
 * The data the page will ask for first, preloaded so it loads in parallel with the script. Names in
 * a parsed link are plain [a-z0-9._-], so they go into the HTML as they are.
 */
function preloadFor(pathname: string): string | undefined {
  if (DIALIN_PAGE_PATH.test(pathname)) return `${API_PREFIX}/dialin`;
  const parsed = parseMeetingPath(pathname);
  return parsed.ok ? `${API_PREFIX}/meetings/${parsed.meeting.organizer}/${parsed.meeting.conferenceId}` : undefined;
}

/** Answers a request whose path is odd: the page (404) for a page path, a plain 400 otherwise. */
export type OddPathAnswer = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

export async function registerPageRoutes(app: FastifyInstance, distDir: string): Promise<OddPathAnswer> {
  const indexFile = path.join(distDir, 'index.html');
  const indexHtml = fs.existsSync(indexFile) ? fs.readFileSync(indexFile) : undefined;

  const sendPage = (reply: FastifyReply, status: number, preload?: string) => {
    if (!indexHtml) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The page is not built yet: run "npm run build".');
    }
    const html = preload
      ? indexHtml
          .toString('utf8')
          .replace('</head>', `<link rel="preload" href="${preload}" as="fetch" crossorigin>\n</head>`)
      : indexHtml;
    return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  };

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
    const preload = preloadFor(pathname);
    return sendPage(reply, preload ? 200 : 404, preload);
  });
  return answerOddPath;
}
