/**
 * The first screen's data, put into the page the server sends for a meeting link (see
 * src/shared/boot.ts): the lookup answer, the pool's effective config and the first screen's
 * messages in the language the page would pick. Messages come from the built catalogs themselves
 * (found through Vite's manifest), so page and server never disagree on a word.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import {
  BOOT_ELEMENT_ID,
  type BootData,
  FIRST_SCREEN_MESSAGES,
  type FirstScreen,
  inertJson,
} from '../../../shared/boot';
import { PAGE_CHECKS, PRODUCT_DEFAULTS, SUPPORTED_LOCALES, type SupportedLocale } from '../../../shared/config-page';
import { negotiateLocale } from '../../../shared/locale';
import { linkMatchesOrganizer, type MeetingRef } from '../../../shared/meeting-url';
import { lookupMeeting } from '../../live/lookup';
import type { Sql } from '../../sql/sql';

export type FirstScreenCatalogs = Map<SupportedLocale, Record<FirstScreen, Record<string, string>>>;

/** The first screen's messages of every built catalog; empty when the build has no manifest. */
export async function loadFirstScreenCatalogs(distDir: string): Promise<FirstScreenCatalogs> {
  const catalogs: FirstScreenCatalogs = new Map();
  const manifestFile = path.join(distDir, '.vite/manifest.json');
  if (!fs.existsSync(manifestFile)) return catalogs;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, { file: string }>;
  for (const locale of SUPPORTED_LOCALES) {
    const entry = Object.entries(manifest).find(([source]) => source.endsWith(`src/client/i18n/${locale}.ts`))?.[1];
    if (!entry) return new Map(); // a partial set would paint some languages late: send none
    // Imported from its text, not its path: a copy of dist/ outside this package (no "type":
    // "module" above it) would otherwise be read as CommonJS.
    const source = fs.readFileSync(path.join(distDir, entry.file), 'utf8');
    const { messages } = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as {
      messages: Record<string, string>;
    };
    const only = (keys: RegExp) => Object.fromEntries(Object.entries(messages).filter(([key]) => keys.test(key)));
    catalogs.set(locale, { launcher: only(FIRST_SCREEN_MESSAGES.launcher), error: only(FIRST_SCREEN_MESSAGES.error) });
  }
  return catalogs;
}

/** `Accept-Language` as tags, most wanted first (`q=0` means "not this one"). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.tag && l.tag !== '*' && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.tag);
}

/** The `<script type="application/json">` element for a meeting link, or '' without catalogs. */
export async function bootElement(
  request: FastifyRequest,
  sql: Sql,
  catalogs: FirstScreenCatalogs,
  ref: MeetingRef,
): Promise<string> {
  if (!catalogs.size) return '';
  const stored = request.poolConfig;
  // Only what the page reads and differs from the product defaults (the page reads a missing field
  // as its default, exactly as from /config/webservice.json), to keep the page small.
  const config = Object.fromEntries(
    (Object.keys(PAGE_CHECKS) as (keyof typeof PRODUCT_DEFAULTS)[])
      .filter((name) => stored[name] !== PRODUCT_DEFAULTS[name])
      .map((name) => [name, stored[name]]),
  );
  const lang = new URLSearchParams(request.url.split('?')[1] ?? '').get('lang');
  const locale = negotiateLocale(lang, acceptedLanguages(request.headers['accept-language']), stored.DefaultLanguage);
  const answer = await lookupMeeting(sql, request.pool, ref);
  const { status, body } = answer;
  // A link that names another domain than the organizer's is "not found" on the page: its words too.
  const found = answer.status === 200 && linkMatchesOrganizer(ref, answer.body.organizerUri);
  const messages = catalogs.get(locale)?.[found ? 'launcher' : 'error'] ?? {};
  const boot: BootData = { lookup: { status, body }, config, locale, messages };
  return `<script type="application/json" id="${BOOT_ELEMENT_ID}">${inertJson(boot)}</script>\n`;
}
