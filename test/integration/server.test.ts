import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { loadOrCreateSecret } from '../../src/server/secret';
import { parseIdentity, putDocument } from '../../src/server/store/config-store';
import { PRODUCT_DEFAULTS as PAGE_DEFAULTS } from '../../src/shared/config-page';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { type TempStore, tempStore } from '../support/temp-store';

let store: TempStore;
let app: FastifyInstance;
let distDir: string;

beforeEach(async () => {
  store = await tempStore();
  distDir = path.join(store.dataDir, 'dist');
  fs.mkdirSync(path.join(distDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(distDir, 'index.html'), '<!doctype html><title>page</title>');
  fs.writeFileSync(path.join(distDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  app = await buildApp({ store: store.store, secret: loadOrCreateSecret(store.dataDir), distDir });
});
afterEach(async () => {
  await app.close();
  store.cleanup();
});

const get = (url: string, host = '127.0.0.1:8080') => app.inject({ method: 'GET', url, headers: { host } });
const setFlag = (on: boolean) =>
  putDocument(store.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: on });

function batch(events: object[], deviceId = '5f2b4c1e-8a3d-4e6f-9b7a-1c2d3e4f5a6b') {
  return { v: 1, deviceId, events };
}
const usage = (id: string, extra: object = {}) => ({
  id,
  type: 'usage',
  ts: 1,
  metric: 'joinAttempt',
  value: 1,
  ...extra,
});
const postBatch = (payload: unknown, host = '127.0.0.1') =>
  app.inject({
    method: 'POST',
    url: '/telemetry/v1/batch',
    headers: { host, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });

describe('pool by Host header', () => {
  it('serves the effective config of the host pool, port ignored, no-store', async () => {
    const response = await get('/config/webservice.json', 'meet.contoso.test:1234');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    // The page's parameters only: server-only ones (IceServers) never reach it.
    expect(response.json()).toEqual(PAGE_DEFAULTS);
    expect(response.json()).not.toHaveProperty('IceServers');
  });

  it('applies a store change on the very next request', async () => {
    await putDocument(store.sql, await parseIdentity(store.sql, 'Service:WebServer:pool02.fabrikam.com'), {
      ...PRODUCT_DEFAULTS,
      MeetingUxEnableTelemetry: true,
    });
    expect((await get('/config/webservice.json', 'meet.fabrikam.test')).json().MeetingUxEnableTelemetry).toBe(true);
    expect((await get('/config/webservice.json', 'localhost')).json().MeetingUxEnableTelemetry).toBe(false);
  });

  it('answers an unknown host with a clear 404 page and JSON for the API', async () => {
    const page = await get('/alice/7Q3DSSYV', 'evil.example');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('does not host meetings');
    // Styled like the product, light and dark, by a stylesheet the CSP allows (no inline style).
    expect(page.body).toContain('<link rel="stylesheet" href="/host-not-found.css">');
    expect(page.body).toContain('<meta name="viewport"');
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");
    const css = await get('/host-not-found.css', 'evil.example');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toContain('prefers-color-scheme:dark');
    expect(css.body).toContain('system-ui');
    expect((await get('/config/webservice.json', 'evil.example')).json()).toMatchObject({ code: 'unknown-host' });
  });

  it('answers /healthz for any host', async () => {
    expect((await get('/healthz', 'anything')).json()).toEqual({ status: 'ok' });
  });
});

describe('pages and static files', () => {
  it('serves the page for meeting paths with no-store and security headers', async () => {
    const response = await get('/alice/7Q3DSSYV');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>page</title>');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('caches hashed assets for a year', async () => {
    const response = await get('/assets/index-abc123.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.each(['/alice', '/a/b/c/d', '/alice/..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cwindows'])(
    'answers %s with the page (which explains), never a file outside dist',
    async (url) => {
      const response = await get(url);
      expect([200, 404]).toContain(response.statusCode);
      expect(response.body).toBe('<!doctype html><title>page</title>');
    },
  );

  it('answers unknown API paths with JSON, not the page', async () => {
    const response = await get('/api/v1/nothing');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not-found' });
  });
});

describe('conference API', () => {
  it('looks a meeting up on its own pool only', async () => {
    expect((await get('/api/v1/meetings/alice/7Q3DSSYV')).json()).toMatchObject({
      subject: 'Quarterly planning',
      federationDomain: 'contoso.com',
      conferenceUri: 'sip:alice@contoso.com;gruu;opaque=app:conf:focus:id:7Q3DSSYV',
    });
    expect((await get('/api/v1/meetings/carol/FAB12345')).json()).toMatchObject({ code: 'meeting-not-found' });
    expect((await get('/api/v1/meetings/carol/FAB12345', 'meet.fabrikam.test')).statusCode).toBe(200);
  });

  it('never sends the organizer key', async () => {
    expect((await get('/api/v1/meetings/alice/7Q3DSSYV')).body).not.toMatch(/organizerKey|organizer_key/);
  });

  it('joins a guest, and leaves only with the token', async () => {
    const join = await app.inject({
      method: 'POST',
      url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
      headers: { host: '127.0.0.1' },
      payload: { displayName: '  Dana  ' },
    });
    expect(join.statusCode).toBe(201);
    const { participantId, token, state } = join.json();
    expect(state).toBe('in-meeting');
    const leave = (auth: string) =>
      app.inject({
        method: 'DELETE',
        url: `/api/v1/participants/${participantId}`,
        headers: { host: '127.0.0.1', authorization: auth },
      });
    expect((await leave('Bearer wrong')).statusCode).toBe(401);
    expect((await leave(`Bearer ${token}`)).statusCode).toBe(204);
    // Leaving twice (a retried request, a second tab) is harmless.
    expect((await leave(`Bearer ${token}`)).statusCode).toBe(204);
  });

  it.each([
    [{ displayName: '' }, 'name-required'],
    [{ displayName: 'x'.repeat(65) }, 'name-too-long'],
    [{ displayName: 'bad\u0007name' }, 'name-invalid-characters'],
    [{ name: 'Dana' }, 'bad-request'],
    ['not json', 'bad-request'],
  ])('refuses the join body %j with %s', async (payload, code) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
      headers: { host: '127.0.0.1', 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe(code);
    expect(response.body).not.toContain('<');
  });

  it('puts lobby meetings guests in the lobby', async () => {
    const join = await app.inject({
      method: 'POST',
      url: '/api/v1/meetings/kenmyer/071200/participants',
      headers: { host: '127.0.0.1' },
      payload: { displayName: 'Dana' },
    });
    expect(join.json().state).toBe('lobby');
  });
});

describe('telemetry ingest', () => {
  const rows = () => store.db.prepare('SELECT * FROM telemetry_events').all() as { data: string; pool: string }[];

  it('refuses with 403 while the pool flag is off, and stores nothing', async () => {
    const response = await postBatch(batch([usage('aaaaaaaa1')]));
    expect(response.statusCode).toBe(403);
    expect(rows()).toEqual([]);
  });

  it('stores events once, for the host pool, after the flag is set', async () => {
    await setFlag(true);
    const first = await postBatch(batch([usage('aaaaaaaa1'), usage('aaaaaaaa2')]));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ stored: 2, duplicates: 0, refused: 0 });
    expect((await postBatch(batch([usage('aaaaaaaa2'), usage('aaaaaaaa3')]))).json()).toEqual({
      stored: 1,
      duplicates: 1,
      refused: 0,
    });
    expect(rows().map((r) => r.pool)).toEqual(['pool01.contoso.com', 'pool01.contoso.com', 'pool01.contoso.com']);
  });

  it('hashes every UserID again with the server secret before storing', async () => {
    await setFlag(true);
    const clientHash = 'a'.repeat(64);
    await postBatch(
      batch([
        {
          id: 'censusid1',
          type: 'census',
          ts: 1,
          appName: 'x',
          deviceModel: 'Desktop',
          osName: 'Linux',
          osVersion: '',
          userLanguage: 'en',
          userId: clientHash,
        },
        { id: 'errorid01', type: 'error', ts: 1, code: 'join:x', message: 'm', userId: 'participant-42' },
      ]),
    );
    const stored = rows()
      .map((r) => r.data)
      .join('\n');
    expect(stored).not.toContain(clientHash);
    expect(stored).not.toContain('participant-42');
    expect(stored).toMatch(/"userId":"[0-9a-f]{64}"/);
  });

  it.each([
    ['an unknown field (e.g. a display name)', batch([usage('aaaaaaaa1', { displayName: 'Dana' })])],
    ['a wrong type', batch([usage('aaaaaaaa1', { value: 'one' })])],
    ['no events', batch([])],
    ['a bad device id', batch([usage('aaaaaaaa1')], 'not-a-uuid')],
    ['a bad event id', batch([usage('<script>')])],
    ['an unknown event type', batch([{ id: 'aaaaaaaa1', type: 'chat', ts: 1, text: 'hello' }])],
  ])('refuses a batch with %s and stores nothing', async (_name, payload) => {
    await setFlag(true);
    const response = await postBatch(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid-batch');
    expect(rows()).toEqual([]);
  });

  it('refuses malformed JSON and bodies over 64 KB', async () => {
    await setFlag(true);
    const malformed = await app.inject({
      method: 'POST',
      url: '/telemetry/v1/batch',
      headers: { host: '127.0.0.1', 'content-type': 'text/plain' },
      payload: '{"v":1,',
    });
    expect(malformed.statusCode).toBe(400);
    const huge = await postBatch(batch([usage('aaaaaaaa1', { federationPartner: 'x'.repeat(70_000) })]));
    expect(huge.statusCode).toBe(413);
    expect(rows()).toEqual([]);
  });

  it('accepts a beacon body sent as text/plain', async () => {
    await setFlag(true);
    const response = await app.inject({
      method: 'POST',
      url: '/telemetry/v1/batch',
      headers: { host: '127.0.0.1', 'content-type': 'text/plain;charset=UTF-8' },
      payload: JSON.stringify(batch([usage('aaaaaaaa9')])),
    });
    expect(response.statusCode).toBe(200);
    expect(rows()).toHaveLength(1);
  });
});
