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
import { API_PREFIX, CONFIG_PATH, RESOURCE_PATH } from '../../../shared/constants';
import { DIALIN_PAGE_PATH, parseMeetingPath } from '../../../shared/meeting-url';
import type { Sql } from '../../sql/sql';
import { bootElement, loadFirstScreenCatalogs } from './page-boot';
import { isResourcePath, pathVerdict } from './path-guard';

/**
 * The data the page will ask for first, preloaded so it loads in parallel with the script: the
 * meeting lookup and the pool's config for a meeting link (only when the page cannot carry them
 * itself, see page-boot.ts), the directory for /dialin. Names in a parsed link are plain
 * [a-z0-9._-], so they go into the HTML as they are.
 */
function preloadsFor(pathname: string): string[] {
  if (DIALIN_PAGE_PATH.test(pathname)) return [`${API_PREFIX}/dialin`];
  const parsed = parseMeetingPath(pathname);
  if (!parsed.ok) return [];
  return [`${API_PREFIX}/meetings/${parsed.meeting.organizer}/${parsed.meeting.conferenceId}`, CONFIG_PATH];
}

/** Answers a request whose path is odd: the page (404) for a page path, a plain 400 otherwise. */
export type OddPathAnswer = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

export async function registerPageRoutes(app: FastifyInstance, distDir: string, sql: Sql): Promise<OddPathAnswer> {
  const indexFile = path.join(distDir, 'index.html');
  const indexHtml = fs.existsSync(indexFile) ? fs.readFileSync(indexFile) : undefined;
  const catalogs = await loadFirstScreenCatalogs(distDir);

  /** `head`: markup for the end of <head> (preloads, or the first screen's data). */
  const sendPage = (reply: FastifyReply, status: number, head = '') => {
    if (!indexHtml) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The page is not built yet: run "npm run build".');
    }
    const html = head ? indexHtml.toString('utf8').replace('</head>', `${head}</head>`) : indexHtml;
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
    // The build writes .br and .gz beside each hashed asset (build/precompress.ts); they are served
    // for the asset's own URL to clients that accept them, and get no routes of their own.
    preCompressed: true,
    globIgnore: ['**/*.br', '**/*.gz'],
    cacheControl: false,
    setHeaders(res, filePath) {
      const hashed = filePath.startsWith(path.join(distDir, 'assets') + path.sep);
      res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-store');
    },
  });

  const notFound = (reply: FastifyReply) => reply.code(404).send({ code: 'not-found', message: 'No such resource.' });
  // Any other GET is a page: a real route (files and API routes win over it), so that the page
  // passes through the route hooks, compression among them.
  app.get('/*', async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (RESOURCE_PATH.test(pathname)) return notFound(reply);
    // The page explains an invalid link itself; the status tells crawlers and tools the same.
    const preloads = preloadsFor(pathname);
    const parsed = parseMeetingPath(pathname);
    const boot = parsed.ok ? await bootElement(request, sql, catalogs, parsed.meeting) : '';
    const links = preloads.map((href) => `<link rel="preload" href="${href}" as="fetch" crossorigin>\n`).join('');
    return sendPage(reply, preloads.length ? 200 : 404, boot || links);
  });
  app.setNotFoundHandler((_request, reply) => notFound(reply));
  return answerOddPath;
}
