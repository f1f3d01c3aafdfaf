/**
 * The /dialin search: a region's name in the reader's language or in its own ("Deutschland",
 * "Brasil"), a common short name ("UK", "USA"), its code, or digits of a number. Case, accents and
 * extra spaces do not matter.
 */
import type { DialInNumber } from '../../shared/api-schema';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase().replace(/\s+/g, ' ').trim();

/** Names people type that are neither a region's ISO code nor its name (dots and spaces folded away). */
const SHORT_NAMES: Record<string, string> = {
  uk: 'GB',
  gb: 'GB',
  greatbritain: 'GB',
  britain: 'GB',
  england: 'GB',
  usa: 'US',
  us: 'US',
  america: 'US',
  uae: 'AE',
  ksa: 'SA',
};

const nativeNames = new Map<string, string>();

/** The region's name in its own main language (`DE` → "Deutschland", `BR` → "Brasil"). */
export function nativeRegionName(region: string): string {
  let name = nativeNames.get(region);
  if (name === undefined) {
    try {
      const language = new Intl.Locale('und', { region }).maximize().language;
      name = new Intl.DisplayNames([language], { type: 'region' }).of(region) ?? '';
    } catch {
      name = '';
    }
    nativeNames.set(region, name);
  }
  return name;
}

export function matchesSearch(entry: DialInNumber, query: string, regionName: string): boolean {
  const q = fold(query);
  if (!q) return true;
  const digits = q.replace(/[\s()+.-]/g, '');
  if (/^\d+$/.test(digits) && entry.number.replace(/\D/g, '').includes(digits)) return true;
  const region = entry.region.toUpperCase();
  if (SHORT_NAMES[q.replace(/[\s.]/g, '')] === region || region.toLowerCase() === q) return true;
  return [regionName, nativeRegionName(region), entry.display].some((name) => fold(name).includes(q));
}
