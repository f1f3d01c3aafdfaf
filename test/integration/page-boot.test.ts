/**
 * First paint from the first response: the page for a meeting link carries the lookup, the pool's
 * effective config and the first screen's messages in the negotiated language, as inert JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { acceptedLanguages } from '../../src/server/routes/page-boot';
import { putDocument } from '../../src/server/store/config-store';
import { addMeeting } from '../../src/server/store/meetings';
import { BOOT_ELEMENT_ID, type BootData, inertJson } from '../../src/shared/boot';
import { SUPPORTED_LOCALES } from '../../src/shared/config-page';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { type TempStore, tempStore } from '../support/temp-store';

let store: TempStore;
let app: FastifyInstance;

beforeAll(async () => {
  store = await tempStore();
  const dist = path.join(store.dataDir, 'dist');
  fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
  fs.mkdirSync(path.join(dist, '.vite'));
  fs.writeFileSync(
    path.join(dist, 'index.html'),
    '<!doctype html><html><head><title>Join</title></head><body></body></html>',
  );
  // Built catalogs as Vite writes them: one ES module each, found through the manifest.
  const manifest: Record<string, { file: string }> = {};
  for (const locale of SUPPORTED_LOCALES) {
    const file = `assets/${locale}-x1.js`;
    const messages = {
      joinMeetingTitle: `Join (${locale})`,
      joinWeb: `Browser (${locale})`,
      errorTitle: 'Could not open',
      chatSend: 'not first',
    };
    fs.writeFileSync(path.join(dist, file), `var e=${JSON.stringify(messages)};export{e as messages};`);
    manifest[`src/client/i18n/${locale}.ts`] = { file };
  }
  fs.writeFileSync(path.join(dist, '.vite/manifest.json'), JSON.stringify(manifest));
  await addMeeting(store.sql, {
    organizer: 'alice',
    conferenceId: 'XSS12345',
    pool: 'pool01.contoso.com',
    organizerUri: 'alice@contoso.com',
    subject: '</script><script>alert(1)</script><!--',
    lobby: false,
    organizerKey: 'k'.repeat(32),
  });
  app = await buildApp({ store: store.store, secret: Buffer.alloc(32), distDir: dist });
});

afterAll(async () => {
  await app.close();
  store.cleanup();
});

async function page(url: string, headers: Record<string, string> = {}): Promise<{ html: string; boot: BootData }> {
  const response = await app.inject({ method: 'GET', url, headers: { host: 'localhost', ...headers } });
  expect(response.statusCode).toBe(200);
  const html = response.body;
  const match = new RegExp(`<script type="application/json" id="${BOOT_ELEMENT_ID}">([^<]*)</script>`).exec(html);
  expect(match, 'the page carries its first screen').not.toBeNull();
  return { html, boot: JSON.parse(match?.[1] ?? '') as BootData };
}

describe('the page for a meeting link', () => {
  it('carries the meeting, the effective config and the first screen words, and preloads nothing', async () => {
    await putDocument(store.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, ShowAlternateJoinOptionsExpanded: true });
    const { html, boot } = await page('/alice/7Q3DSSYV');
    expect(html).not.toContain('rel="preload"');
    expect(boot.lookup.status).toBe(200);
    expect(boot.lookup.body).toMatchObject({ subject: 'Quarterly planning', organizerUri: 'alice@contoso.com' });
    expect(JSON.stringify(boot.lookup.body)).not.toContain('organizerKey');
    // What differs from the product defaults (the page reads a missing field as its default).
    expect(boot.config).toEqual({ ShowAlternateJoinOptionsExpanded: true });
    expect(boot.locale).toBe('en-US');
    expect(boot.messages).toEqual({ joinMeetingTitle: 'Join (en-US)', joinWeb: 'Browser (en-US)' });
    await putDocument(store.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS });
  });

  it('speaks ?lang=, then Accept-Language, then the pool default', async () => {
    expect((await page('/alice/7Q3DSSYV', { 'accept-language': 'de-AT,de;q=0.9,en;q=0.8' })).boot.locale).toBe('de-DE');
    expect((await page('/alice/7Q3DSSYV?lang=ar', { 'accept-language': 'de-AT' })).boot.locale).toBe('ar-SA');
    await putDocument(store.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, DefaultLanguage: 'ja-JP' });
    expect((await page('/alice/7Q3DSSYV', { 'accept-language': 'xx' })).boot.locale).toBe('ja-JP');
    await putDocument(store.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS });
  });

  it('carries an ended or unknown meeting as the lookup would answer it', async () => {
    const endedPage = (await page('/alice/ENDED2025')).boot;
    // The error screen's words travel, not the launcher's.
    expect(endedPage.messages).toEqual({ joinMeetingTitle: 'Join (en-US)', errorTitle: 'Could not open' });
    const ended = endedPage.lookup;
    expect(ended.status).toBe(410);
    expect(ended.body).toMatchObject({ code: 'meeting-ended', endedAt: expect.any(Number) });
    // Found, but the link names another domain: the page shows "not found", with the error's words.
    const elsewhere = (await page('/fabrikam.com/Meet/alice/7Q3DSSYV')).boot;
    expect(elsewhere.lookup.status).toBe(200);
    expect(elsewhere.messages).toHaveProperty('errorTitle');
    const missing = (await page('/alice/NOPE1234')).boot.lookup;
    expect(missing).toMatchObject({ status: 404, body: { code: 'meeting-not-found' } });
  });

  it('is inert: a subject with markup cannot end the element, and reads back unchanged', async () => {
    const { html, boot } = await page('/alice/XSS12345');
    expect(html).not.toContain('</script><script>alert');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect((boot.lookup.body as { subject: string }).subject).toBe('</script><script>alert(1)</script><!--');
    expect(inertJson('\u2028<')).toBe('"\\u2028\\u003c"');
  });
});

describe('acceptedLanguages', () => {
  it('orders by q, keeps ties in order, drops q=0 and *', () => {
    expect(acceptedLanguages('fr;q=0.5, de-AT, *;q=0.1, en;q=0, ja;q=0.5')).toEqual(['de-AT', 'fr', 'ja']);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });
});
