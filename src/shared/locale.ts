/**
 * Locale negotiation, pure: `?lang=` first, then the browser's languages in order, then the pool's
 * `DefaultLanguage`, then en-US. Each candidate matches a supported locale exactly (any case) or,
 * failing that, by its language alone (`pt-PT` → pt-BR, `de-AT` → de-DE, `ar` → ar-SA).
 */
import { SUPPORTED_LOCALES, type SupportedLocale } from './config-page';

export const FALLBACK_LOCALE: SupportedLocale = 'en-US';
// BCP 47 in the shape browsers send; anything else in ?lang= is ignored rather than guessed at.
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i;

export function matchLocale(tag: string | null | undefined): SupportedLocale | undefined {
  if (!tag || tag.length > 35 || !LANGUAGE_TAG.test(tag)) return undefined;
  const lower = tag.toLowerCase();
  const exact = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const language = lower.split('-')[0];
  return SUPPORTED_LOCALES.find((l) => l.slice(0, 2).toLowerCase() === language);
}

/** The first match among the person's own wishes (?lang=, then the browser), if any. */
export function personalLocale(override: string | null, browser: readonly string[]): SupportedLocale | undefined {
  for (const tag of [override, ...browser]) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  return undefined;
}

export function negotiateLocale(
  override: string | null,
  browser: readonly string[],
  poolDefault: string,
): SupportedLocale {
  return personalLocale(override, browser) ?? matchLocale(poolDefault) ?? FALLBACK_LOCALE;
}

export function isRightToLeft(locale: SupportedLocale): boolean {
  return locale === 'ar-SA';
}
