/**
 * Every API route (found from the app itself, so new routes are covered too) under hostile bodies
 * and path parameters: no 5xx, a 4xx for everything that is not a legitimate read, answers in our
 * own words, the server still up and the store exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putDocument } from '../../src/server/store/config-store';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { CONTENT_TYPES, hostileBody, hostileSegment, pick, seeded } from '../support/fuzz-gen';
import { startTestApp, storeSnapshot, type TestApp } from '../support/security-app';

const REQUESTS_PER_ROUTE = 250;

interface RouteInfo {
  url: string;
  methods: string[];
}

/** Reads the route tree Fastify prints (nested by indentation) back into full paths. */
function routesOf(printed: string): RouteInfo[] {
  const stack: string[] = [];
  const routes: RouteInfo[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] as string).length / 4;
    stack.length = depth;
    stack.push(match[2] as string);
    if (match[3]) routes.push({ url: stack.join(''), methods: match[3].split(', ') });
  }
  return routes;
}

let t: TestApp;
let apiRoutes: { url: string; method: string }[];
beforeAll(async () => {
  t = await startTestApp();
  apiRoutes = routesOf(t.app.printRoutes({ commonPrefix: false }))
    .filter((route) => /^\/(api|telemetry|config)\//.test(route.url))
    .flatMap((route) => route.methods.filter((m) => m !== 'HEAD').map((method) => ({ url: route.url, method })));
});
afterAll(() => t.close());

describe('API fuzz', () => {
  it('finds the API routes', () => {
    const names = apiRoutes.map((r) => `${r.method} ${r.url}`);
    expect(names).toContain('POST /api/v1/meetings/:organizer/:conferenceId/participants');
    expect(names).toContain('POST /telemetry/v1/batch');
    expect(names).toContain('DELETE /api/v1/participants/:id');
  });

  for (const telemetryOn of [false, true]) {
    it(`holds under ${REQUESTS_PER_ROUTE} hostile requests per route (telemetry ${telemetryOn ? 'on' : 'off'})`, async () => {
      await putDocument(t.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: telemetryOn });
      const before = storeSnapshot(t.db);
      const random = seeded(telemetryOn ? 6 : 66);
      let sent = 0;
      for (const route of apiRoutes) {
        for (let i = 0; i < REQUESTS_PER_ROUTE; i++) {
          const url = route.url.replace(/:\w+/g, () => hostileSegment(random));
          const hasBody = route.method !== 'GET';
          const contentType = pick(random, CONTENT_TYPES);
          const response = await t.app.inject({
            method: route.method as 'GET',
            url,
            headers: { host: '127.0.0.1', ...(contentType ? { 'content-type': contentType } : {}) },
            payload: hasBody ? hostileBody(random) : undefined,
            // Many clients, as in real life: the fuzz tests validation, not the rate limiter.
            remoteAddress: `10.${(sent >> 8) & 255}.${sent & 255}.9`,
          });
          sent++;
          const where = `${route.method} ${url} (${contentType})`;
          expect(response.statusCode, where).toBeLessThan(500);
          // Only reads may succeed (a lookup of a real meeting, the config, the ingest's CORS preflight);
          // everything else is refused.
          if (route.method !== 'GET' && route.method !== 'OPTIONS')
            expect(response.statusCode, where).toBeGreaterThanOrEqual(400);
          if (response.statusCode >= 400) {
            expect(response.headers['content-type'], where).toMatch(/^(application\/json|text\/html)/);
            expect(response.body, where).not.toContain('<script');
            expect(response.body, where).not.toContain('onerror');
          }
        }
      }
      expect(sent).toBeGreaterThanOrEqual(500);
      expect(storeSnapshot(t.db)).toEqual(before);
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      const lookup = await t.app.inject({ url: '/api/v1/meetings/alice/7Q3DSSYV', headers: { host: '127.0.0.1' } });
      expect(lookup.json()).toMatchObject({ subject: 'Quarterly planning' });
    }, 120_000);
  }
});
