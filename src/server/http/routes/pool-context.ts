/**
 * Resolves the pool from the Host header (port ignored); an unknown host gets a clear 404. The
 * telemetry ingest is the exception: a pool may send its pages' telemetry to another host
 * (TelemetryEndpoint), so a request that carries an Origin belongs to the pool serving that origin.
 *
 * The pool's effective configuration is read here, once per request, and carried on the request
 * (`request.poolConfig`): the ingest's switch, the join's AllowAnonymousJoin and the security
 * headers all read that one value, so one request never sees two versions of the config. It is
 * never cached: a flag flipped by `admin set` (on any node of a shared store) is in force for the
 * next request, at the cost of one indexed read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PRODUCT_DEFAULTS } from '../../../shared/config-schema';
import { SERVICE_PATH, TELEMETRY_PATH } from '../../../shared/constants';
import type { Sql } from '../../sql/sql';
import { isStoreUnavailable } from '../../sql/unavailable';
import { effectiveConfigFor, type StoredDocument } from '../../store/config-store';
import { type Pool, poolForHost } from '../../topology/topology';

declare module 'fastify' {
  interface FastifyRequest {
    pool: Pool;
    /** The pool's effective configuration as read once for this request. */
    poolConfig: StoredDocument;
  }
}

/**
 * Fail closed: a document that cannot be read means product defaults (telemetry off). A store that
 * cannot be reached at all is the request's answer instead (503 store-unavailable, http/limits.ts).
 */
async function readConfig(sql: Sql, pool: Pool, request: FastifyRequest): Promise<StoredDocument> {
  try {
    return await effectiveConfigFor(sql, pool);
  } catch (error) {
    if (isStoreUnavailable(error)) throw error;
    request.log.error({ err: error }, 'could not read the effective configuration');
    return { Identity: 'Global', ...PRODUCT_DEFAULTS };
  }
}

/**
 * The page for a host no pool serves, styled like the product (system font, light and dark) by a
 * stylesheet of its own: the CSP allows no inline style, and an unknown host gets no other file.
 */
export const UNKNOWN_HOST_CSS_PATH = '/host-not-found.css';

const UNKNOWN_HOST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<title>Not a meeting address</title><link rel="stylesheet" href="${UNKNOWN_HOST_CSS_PATH}"></head>
<body><main><h1>This address does not host meetings</h1><p>No meeting pool is set up for this web address. Check the meeting link you were sent.</p></main></body></html>`;

const UNKNOWN_HOST_CSS = `:root{color-scheme:light dark;--bg:#f5f5f7;--card:#fff;--text:#1b1b1f;--muted:#55555f;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5}
@media (prefers-color-scheme:dark){:root{--bg:#121214;--card:#1e1e22;--text:#f2f2f5;--muted:#b8b8c4}}
body{margin:0;background:var(--bg);color:var(--text);padding:clamp(16px,10vh,96px) 16px 16px}
main{max-width:480px;margin:0 auto;background:var(--card);border-radius:12px;padding:24px;box-shadow:0 1px 3px rgb(0 0 0/.12)}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 8px}p{margin:0;color:var(--muted)}
`;

/** The host name of an Origin header (`https://meet.contoso.com`), or undefined if it is not one. */
function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return /^https?:$/.test(url.protocol) && url.origin === origin ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

export function registerPoolContext(app: FastifyInstance, sql: Sql): void {
  app.decorateRequest('pool', null as unknown as Pool);
  app.decorateRequest('poolConfig', null as unknown as StoredDocument);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/healthz' || request.url === '/readyz') return;
    if (request.url === UNKNOWN_HOST_CSS_PATH) {
      // Any host: the unknown-host page needs it most.
      return reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(UNKNOWN_HOST_CSS);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && request.url.split('?')[0] === TELEMETRY_PATH) {
      const host = originHost(origin);
      const pool = host ? await poolForHost(sql, host) : undefined;
      if (pool) {
        request.pool = pool;
        request.poolConfig = await readConfig(sql, pool, request);
        return;
      }
      return reply.code(403).send({ code: 'unknown-origin', message: 'No meeting pool serves the calling page.' });
    }
    const pool = await poolForHost(sql, request.hostname);
    if (pool) {
      request.pool = pool;
      request.poolConfig = await readConfig(sql, pool, request);
      return;
    }
    const wantsJson = SERVICE_PATH.test(request.url);
    reply.code(404);
    if (wantsJson) return reply.send({ code: 'unknown-host', message: 'No meeting pool serves this host.' });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(UNKNOWN_HOST_PAGE);
  });
}
