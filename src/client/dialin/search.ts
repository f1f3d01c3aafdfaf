/** The /dialin search: a region's name in the reader's language, its code, or digits of a number. */
import type { DialInNumber } from '../../shared/api-schema';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

export function matchesSearch(entry: DialInNumber, query: string, regionName: string): boolean {
  const q = fold(query.trim());
  if (!q) return true;
  const digits = q.replace(/[\s()+.-]/g, '');
  if (/^\d+$/.test(digits) && entry.number.replace(/\D/g, '').includes(digits)) return true;
  return fold(regionName).includes(q) || entry.region.toLowerCase() === q || fold(entry.display).includes(q);
}
