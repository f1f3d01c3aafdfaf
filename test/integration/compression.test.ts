/** What goes over the wire: build-time .br/.gz for hashed assets, on-the-fly for pages and JSON. */
import fs from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressedCopies } from '../../build/precompress';
import { buildApp } from '../../src/server/app';
import { putDocument } from '../../src/server/store/config-store';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { type TempStore, tempStore } from '../support/temp-store';

const ENTRY = `${'export const words = "join the meeting";\n'.repeat(80)}console.log(words);\n`;
const PAGE = `<!doctype html><html><head><title>Join</title></head><body>${'<p>filler</p>'.repeat(60)}</body></html>`;

let store: TempStore;
let app: FastifyInstance;

beforeAll(async () => {
  store = await tempStore();
  const dist = path.join(store.dataDir, 'dist');
  fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'index.html'), PAGE);
  const entry = path.join(dist, 'assets', 'index-abc123.js');
  fs.writeFileSync(entry, ENTRY);
  const copies = await compressedCopies(Buffer.from(ENTRY));
  fs.writeFileSync(`${entry}.br`, copies.br as Buffer);
  fs.writeFileSync(`${entry}.gz`, copies.gz as Buffer);
  app = await buildApp({ store: store.store, secret: Buffer.alloc(32), distDir: dist });
});

afterAll(async () => {
  await app.close();
  store.cleanup();
});

const get = (url: string, encoding?: string) =>
  app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });

describe('compressedCopies', () => {
  it('skips small files and keeps only copies that are smaller', async () => {
    expect(await compressedCopies(Buffer.from('tiny'))).toEqual({});
    const copies = await compressedCopies(Buffer.from(ENTRY));
    expect(brotliDecompressSync(copies.br as Buffer).toString()).toBe(ENTRY);
    expect(gunzipSync(copies.gz as Buffer).toString()).toBe(ENTRY);
    expect((copies.br as Buffer).length).toBeLessThan(ENTRY.length);
    // Zopfli's gzip is no larger than zlib's best.
    expect((copies.gz as Buffer).length).toBeLessThanOrEqual(gzipSync(ENTRY, { level: 9 }).length);
  });
});

describe('hashed assets', () => {
  it('are sent as the build’s Brotli or gzip copy to clients that accept it, with the real type', async () => {
    const br = await get('/assets/index-abc123.js', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(ENTRY);
    const gz = await get('/assets/index-abc123.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(ENTRY);
    const plain = await get('/assets/index-abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(ENTRY);
  });

  it('the compressed copies have no address of their own', async () => {
    for (const url of ['/assets/index-abc123.js.br', '/assets/index-abc123.js.gz']) {
      expect((await get(url, 'br')).statusCode).toBe(404);
    }
  });
});

describe('pages and JSON', () => {
  it('the page is compressed on the fly, with its preloads', async () => {
    const response = await get('/alice/7Q3DSSYV', 'gzip');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['cache-control']).toBe('no-store');
    const html = gunzipSync(response.rawPayload).toString();
    expect(html).toContain('<link rel="preload" href="/api/v1/meetings/alice/7Q3DSSYV" as="fetch" crossorigin>');
    expect(html).toContain('<link rel="preload" href="/config/webservice.json" as="fetch" crossorigin>');
  });

  it('an invalid link still gets the page and its 404, compressed', async () => {
    const response = await get('/not/a/meeting/link/at/all', 'br');
    expect(response.statusCode).toBe(404);
    expect(brotliDecompressSync(response.rawPayload).toString()).toContain('<title>Join</title>');
  });

  it('JSON big enough to gain is compressed; small answers are not', async () => {
    const directory = await get('/api/v1/dialin', 'gzip');
    expect(directory.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(directory.rawPayload).toString()).numbers.length).toBeGreaterThan(5);
    const config = await get('/config/webservice.json', 'gzip');
    expect(config.headers['content-encoding']).toBeUndefined();
    expect(config.json().MeetingUxEnableTelemetry).toBe(false);
  });

  it('a compressed request body is not inflated: the ingest refuses it and stores nothing', async () => {
    await putDocument(store.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true });
    const before = store.db.prepare('SELECT COUNT(*) AS n FROM telemetry_events').get() as { n: number };
    const body = gzipSync(
      JSON.stringify({
        v: 1,
        deviceId: '00000000-0000-4000-8000-000000000000',
        events: [{ id: 'compressed0001', type: 'usage', ts: Date.now(), metric: 'joinAttempt', value: 1 }],
      }),
    );
    const response = await app.inject({
      method: 'POST',
      url: '/telemetry/v1/batch',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'accept-encoding': 'gzip' },
      payload: body,
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    const after = store.db.prepare('SELECT COUNT(*) AS n FROM telemetry_events').get() as { n: number };
    expect(after.n).toBe(before.n);
    // The same batch, uncompressed, is taken: the refusal was about the encoding.
    const plain = await app.inject({
      method: 'POST',
      url: '/telemetry/v1/batch',
      headers: { 'content-type': 'application/json' },
      payload: gunzipSync(body),
    });
    expect(plain.statusCode).toBe(200);
  });
});
