/** Dates, numbers and region names in the page's language, through Intl only. */
import { currentLocale } from './t';

export function formatCount(count: number): string {
  return new Intl.NumberFormat(currentLocale()).format(count);
}

/** A region's name from its ISO code (`DE` → "Deutschland" in de-DE); the code if Intl lacks it. */
export function regionName(code: string): string {
  try {
    return new Intl.DisplayNames([currentLocale()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function compareText(a: string, b: string): number {
  return a.localeCompare(b, currentLocale());
}

/** A time of day in the page's language (not the browser's): `?lang=ar-SA` reads it in Arabic. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { hour: 'numeric', minute: '2-digit' }).format(ms);
}
