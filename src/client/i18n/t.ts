/** Message lookup with `{name}` placeholders, from the one catalog the page loaded. */
import type { SupportedLocale } from '../../shared/config-page';
import { FALLBACK_LOCALE, isRightToLeft } from '../../shared/locale';
import { CATALOG_LOADERS } from './catalogs';
import type { Catalog, MessageKey } from './en-US';

let catalog: Partial<Catalog> = {};
let current: SupportedLocale = FALLBACK_LOCALE;

export function setCatalog(next: Catalog, locale: SupportedLocale = current): void {
  catalog = next;
  current = locale;
}

/** The locale the page speaks (for Intl formatting). */
export function currentLocale(): SupportedLocale {
  return current;
}

/**
 * Loads the chosen catalog and makes the document speak it: `<html lang dir>` and the title.
 * If that chunk cannot load, the page still works in en-US rather than showing keys.
 */
function speak(locale: SupportedLocale, title: string | undefined): void {
  const root = document.documentElement;
  root.lang = locale;
  root.dir = isRightToLeft(locale) ? 'rtl' : 'ltr';
  if (title) document.title = title;
}

/**
 * Speaks the first screen's messages the server sent with the page (src/shared/boot.ts) at once;
 * the rest of the catalog follows with `loadLocale`.
 */
export function speakFirstScreen(locale: SupportedLocale, messages: Record<string, string>): void {
  setCatalog(messages as Catalog, locale);
  speak(locale, messages.joinMeetingTitle);
}

export async function loadLocale(locale: SupportedLocale): Promise<void> {
  let chosen = locale;
  let module: { messages: Catalog };
  try {
    module = await CATALOG_LOADERS[locale]();
  } catch {
    chosen = FALLBACK_LOCALE;
    module = await CATALOG_LOADERS[FALLBACK_LOCALE]();
  }
  setCatalog(module.messages, chosen);
  speak(chosen, module.messages.joinMeetingTitle);
}

export function t(key: MessageKey, values: Record<string, string> = {}): string {
  return (catalog[key] ?? '').replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

/** The message key for a problem code, or its family's generic message when there is no specific one. */
export function problemKey(family: 'error' | 'join' | 'chat' | 'action' | 'media', code: string): MessageKey {
  const key = `${family}.${code}`;
  return (key in catalog ? key : family === 'error' ? 'error.unexpected' : `${family}.failed`) as MessageKey;
}
