/** Web-vitals p75 from bucket histograms, rated against web.dev's "good / needs improvement / poor". */
import type { VitalName } from './aggregate';

export type VitalRating = 'good' | 'needs-improvement' | 'poor';

/** p75 at or below `good` is good, above `poor` is poor (ms; CLS unitless). */
export const VITAL_THRESHOLDS: Record<VitalName, { good: number; poor: number; unit: 'ms' | '' }> = {
  LCP: { good: 2500, poor: 4000, unit: 'ms' },
  INP: { good: 200, poor: 500, unit: 'ms' },
  CLS: { good: 0.1, poor: 0.25, unit: '' },
  FCP: { good: 1800, poor: 3000, unit: 'ms' },
  TTFB: { good: 800, poor: 1800, unit: 'ms' },
};

export function rate(name: VitalName, p75: number | null): VitalRating | null {
  if (p75 === null) return null;
  const { good, poor } = VITAL_THRESHOLDS[name];
  return p75 <= good ? 'good' : p75 <= poor ? 'needs-improvement' : 'poor';
}

/** Nearest-rank 75th percentile of a histogram (bucket value as text → count); null when empty. */
export function p75Of(histogram: Record<string, number>): { p75: number | null; samples: number } {
  const buckets = Object.entries(histogram)
    .map(([value, n]) => [Number(value), n] as const)
    .sort((x, y) => x[0] - y[0]);
  const samples = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (samples === 0) return { p75: null, samples };
  const rank = Math.ceil(0.75 * samples);
  let seen = 0;
  for (const [value, n] of buckets) {
    seen += n;
    if (seen >= rank) return { p75: value, samples };
  }
  return { p75: buckets[buckets.length - 1]?.[0] ?? null, samples };
}
