/**
 * Web-vitals (LCP, INP, CLS, FCP, TTFB), each metric id reported once. web-vitals is imported
 * here, and this file only from the telemetry chunk, so a page with the flag off never loads it.
 * Its hidden-page listeners are registered before the client's own, so the final LCP, CLS and INP
 * are queued before the client flushes on hide. Observers cannot be removed, so they are set up
 * once per page and report to whichever client is running (none after a stop).
 */
import { type Metric, onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import { TELEMETRY_LIMITS as L } from '../../shared/telemetry-limits';
import type { EventBody } from '../../shared/telemetry-schema';

type VitalReport = (event: EventBody & { type: 'vital' }) => void;

let sink: VitalReport | undefined;
let observing = false;
const seen = new Set<string>();

function onMetric(metric: Metric): void {
  if (!sink || seen.has(metric.id)) return;
  seen.add(metric.id);
  const value = Math.min(L.vitalValue, Math.max(0, metric.value));
  sink({ type: 'vital', name: metric.name, value, metricId: metric.id.slice(0, L.shortText) });
}

export function watchVitals(report: VitalReport | undefined): void {
  sink = report;
  if (observing || !report) return;
  observing = true;
  for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on(onMetric);
}
