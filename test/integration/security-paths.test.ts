/** Static serving refuses traversal and odd encodings; errors never echo input; limits hold. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isResourcePath, pathVerdict } from '../../src/server/routes/path-guard';
import { putDocument } from '../../src/server/store/config-store';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { FAKE_INDEX, startTestApp, type TestApp } from '../support/security-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ rateLimitPerMinute: 20 });
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { host: '127.0.0.1', ...headers } });

const TRAVERSALS = [
  '/../outside.txt',
  '/assets/../../outside.txt',
  '/assets/..%2f..%2foutside.txt',
  '/assets/%2e%2e/%2e%2e/outside.txt',
  '/assets/%2E%2E%2F%2E%2E%2Foutside.txt',
  '/%2e%2e/outside.txt',
  '/assets/..\\..\\outside.txt',
  '/assets/%5c..%5c..%5coutside.txt',
  '/assets/%252e%252e/outside.txt',
  '/assets/%c0%ae%c0%ae/outside.txt',
  '/assets/index-abc123.js%00.txt',
  '/assets/index-abc123.js%00',
  '/assets/%zz',
  '/.vite/manifest.json',
  '/%2evite/manifest.json',
  '/assets/../.vite/manifest.json',
  '//outside.txt',
  '/assets//../../outside.txt',
  '/index.html/../../outside.txt',
];

describe('static serving', () => {
  for (const url of TRAVERSALS) {
    it(`refuses ${url}`, async () => {
      const response = await get(url);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.body).not.toContain('OUTSIDE-SECRET');
      expect(response.body).not.toContain('build manifest');
      expect(response.body).not.toContain('console.log');
    });
  }

  it('serves the real files and the page', async () => {
    expect((await get('/assets/index-abc123.js')).body).toContain('console.log("entry")');
    expect((await get('/assets/index-abc123.js')).headers['cache-control']).toContain('immutable');
    // The page, with the meeting lookup and the config preloaded so they load beside the script.
    expect((await get('/alice/7Q3DSSYV')).body).toBe(
      FAKE_INDEX.replace(
        '</head>',
        '<link rel="preload" href="/api/v1/meetings/alice/7Q3DSSYV" as="fetch" crossorigin>\n' +
          '<link rel="preload" href="/config/webservice.json" as="fetch" crossorigin>\n</head>',
      ),
    );
    expect((await get('/alice/7Q3DSSYV')).statusCode).toBe(200);
    expect((await get('/sw.js')).headers['cache-control']).toBe('no-store');
  });

  it('answers odd page paths with the page (404), which explains the link', async () => {
    for (const url of ['/alice/7Q3D%00SSYV', '/alice/..%2F..%2Fetc%2Fpasswd', '/alice/%c0%ae']) {
      const response = await get(url);
      expect(response.statusCode).toBe(404);
      expect(response.body).toBe(FAKE_INDEX);
    }
  });

  it('classifies paths', () => {
    expect(pathVerdict('/alice/7Q3DSSYV')).toBe('ok');
    expect(pathVerdict('/contoso.com/alice/7Q3DSSYV')).toBe('ok');
    expect(pathVerdict('/a/%2e%2e/b')).toBe('odd');
    expect(pathVerdict('/a/%E0%A4%A')).toBe('odd');
    expect(pathVerdict('/a/%0a')).toBe('odd');
    expect(isResourcePath('/assets/x')).toBe(true);
    expect(isResourcePath('/API/v1/x')).toBe(true);
    expect(isResourcePath('/alice/7Q3DSSYV')).toBe(false);
  });
});

describe('errors', () => {
  const MARKER = '<script>alert("echo")</script>';
  const cases = [
    () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
        headers: { host: '127.0.0.1', 'content-type': 'application/json' },
        payload: `{"displayName": ${MARKER}`,
      }),
    () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
        headers: { host: '127.0.0.1', 'content-type': `text/html; x=${MARKER}` },
        payload: MARKER,
      }),
    () => get(`/api/v1/meetings/${encodeURIComponent(MARKER)}/X`),
    () => get(`/api/v1/${encodeURIComponent(MARKER)}`),
    () => get(`/assets/${encodeURIComponent(MARKER)}%zz`),
    () => get(`/${encodeURIComponent(MARKER)}`, { host: `${MARKER}.test` }),
    () =>
      t.app.inject({
        method: 'POST',
        url: '/telemetry/v1/batch',
        headers: { host: '127.0.0.1', 'content-type': 'text/plain' },
        payload: MARKER,
      }),
  ];
  cases.forEach((send, index) => {
    it(`never echo the input back (case ${index + 1})`, async () => {
      const response = await send();
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.body).not.toContain('<script>');
      expect(response.body).not.toContain('alert');
      expect(response.body).not.toContain('%3Cscript');
      expect(response.statusCode === 404 && response.headers['content-type']?.toString().startsWith('text/html')).toBe(
        response.body === FAKE_INDEX || response.body.includes('does not host meetings'),
      );
    });
  });
});

describe('limits', () => {
  it('refuses an API body over the limit with 413', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
      headers: { host: '127.0.0.1', 'content-type': 'application/json' },
      payload: JSON.stringify({ displayName: 'x'.repeat(200_000) }),
      remoteAddress: '10.0.0.1',
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ code: 'body-too-large', message: 'The request body is too large.' });
  });

  it('refuses a telemetry batch over the limit with 413', async () => {
    // With the flag off the ingest answers 403 before reading any body; size matters only when on.
    await putDocument(t.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true });
    const response = await t.app.inject({
      method: 'POST',
      url: '/telemetry/v1/batch',
      headers: { host: '127.0.0.1', 'content-type': 'application/json' },
      payload: JSON.stringify({ events: 'x'.repeat(2_000_000) }),
      remoteAddress: '10.0.0.2',
    });
    expect(response.statusCode).toBe(413);
    await putDocument(t.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS });
  });

  // The ingest has its own per-client limit, keyed by device (test/integration/telemetry-service.test.ts).
  for (const [method, url] of [
    ['GET', '/config/webservice.json'],
    ['GET', '/api/v1/meetings/alice/7Q3DSSYV'],
    ['DELETE', '/api/v1/participants/nobody'],
  ] as const) {
    it(`rate-limits ${method} ${url} per client address`, async () => {
      const send = (remoteAddress: string) =>
        t.app.inject({ method, url, headers: { host: '127.0.0.1' }, remoteAddress });
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await send('10.1.1.1')).statusCode);
      expect(statuses.slice(0, 20)).not.toContain(429);
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
      const limited = await send('10.1.1.1');
      expect(limited.json()).toEqual({ code: 'rate-limited', message: 'Too many requests: try again in a minute.' });
      expect(limited.headers['retry-after']).toBeDefined();
      // Another client is not affected.
      expect((await send('10.2.2.2')).statusCode).not.toBe(429);
    });
  }
});
