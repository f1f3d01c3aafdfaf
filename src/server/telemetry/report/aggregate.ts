/**
 * What the report keeps of a pool's events in one time slot (or one day, or a whole period: the
 * same shape merges up). Everything is a sum or a count, except the devices, which are kept as a
 * set of 48-bit hashes of their DeviceIDs so that distinct devices can be counted over any days.
 */
import { createHash } from 'node:crypto';
import { USAGE_METRICS, type UsageMetric } from '../../../shared/telemetry-schema';
import { vitalBucket } from './buckets';
import { deviceClassOf } from './census';

export const VITAL_NAMES = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
export type VitalName = (typeof VITAL_NAMES)[number];
export const CENSUS_DIMENSIONS = ['os', 'deviceClass', 'language'] as const;
export type CensusDimension = (typeof CENSUS_DIMENSIONS)[number];

/** A slot keeps at most this many distinct values per breakdown; the rest count as OTHER. */
export const MAX_KEYS_PER_SLOT = 50;
export const OTHER = '(other)';

export interface Aggregate {
  usage: Record<UsageMetric, number>;
  /** Census events: page sessions with telemetry on. */
  sessions: number;
  errors: Record<string, number>;
  /** Organizer SIP domain → successful joins (meetings) and usage events. */
  partners: Record<string, { meetings: number; events: number }>;
  census: Record<CensusDimension, Record<string, number>>;
  /** Vital → bucket (rounded value, as text) → count. */
  vitals: Record<VitalName, Record<string, number>>;
}

export function emptyAggregate(): Aggregate {
  return {
    usage: Object.fromEntries(USAGE_METRICS.map((m) => [m, 0])) as Record<UsageMetric, number>,
    sessions: 0,
    errors: {},
    partners: {},
    census: { os: {}, deviceClass: {}, language: {} },
    vitals: { LCP: {}, INP: {}, CLS: {}, FCP: {}, TTFB: {} },
  };
}

/** Adds n to counts[key], folding new keys into OTHER once the map holds `cap` keys. */
function bump(counts: Record<string, number>, key: string, n: number, cap = Number.POSITIVE_INFINITY): void {
  const k = key in counts || Object.keys(counts).length < cap ? key : OTHER;
  counts[k] = (counts[k] ?? 0) + n;
}

function partnerEntry(into: Aggregate, domain: string): { meetings: number; events: number } {
  const existing = into.partners[domain];
  if (existing) return existing;
  const created = { meetings: 0, events: 0 };
  into.partners[domain] = created;
  return created;
}

/** One stored event, as the roll-up reads it from `telemetry_events`. */
export interface StoredEvent {
  type: string;
  metric: string | null;
  value: number | null;
  /** usage: the federation partner; census: the OS name. */
  a: string | null;
  /** census: the device model. */
  b: string | null;
  /** census: the language. */
  c: string | null;
}

export function addEvent(into: Aggregate, event: StoredEvent): void {
  switch (event.type) {
    case 'usage': {
      const metric = event.metric as UsageMetric;
      if (!(metric in into.usage)) return;
      const value = event.value ?? 0;
      into.usage[metric] += value;
      if (event.a) {
        const domain =
          event.a in into.partners || Object.keys(into.partners).length < MAX_KEYS_PER_SLOT ? event.a : OTHER;
        const target = partnerEntry(into, domain);
        target.events += 1;
        if (metric === 'joinSuccess') target.meetings += value;
      }
      return;
    }
    case 'census':
      into.sessions += 1;
      bump(into.census.os, event.a || 'Unknown', 1, MAX_KEYS_PER_SLOT);
      bump(into.census.deviceClass, deviceClassOf(event.b ?? ''), 1, MAX_KEYS_PER_SLOT);
      bump(into.census.language, event.c || 'Unknown', 1, MAX_KEYS_PER_SLOT);
      return;
    case 'error':
      bump(into.errors, event.metric ?? 'unknown', 1, MAX_KEYS_PER_SLOT);
      return;
    case 'vital': {
      const histogram = into.vitals[event.metric as VitalName];
      if (histogram && event.value !== null) bump(histogram, String(vitalBucket(event.value)), 1);
      return;
    }
  }
}

/** Adds `from` into `into` (no cap: a day or a period keeps every value its slots kept). */
export function mergeAggregate(into: Aggregate, from: Aggregate): void {
  for (const metric of USAGE_METRICS) into.usage[metric] += from.usage[metric] ?? 0;
  into.sessions += from.sessions;
  for (const [code, n] of Object.entries(from.errors)) bump(into.errors, code, n);
  for (const [domain, p] of Object.entries(from.partners)) {
    const target = partnerEntry(into, domain);
    target.meetings += p.meetings;
    target.events += p.events;
  }
  for (const dim of CENSUS_DIMENSIONS)
    for (const [value, n] of Object.entries(from.census[dim] ?? {})) bump(into.census[dim], value, n);
  for (const name of VITAL_NAMES)
    for (const [bucket, n] of Object.entries(from.vitals[name] ?? {})) bump(into.vitals[name], bucket, n);
}

/** A DeviceID's 48-bit hash: distinct devices are counted on these (collisions: ~1 in 10^5 at 200,000 devices). */
export function deviceHash(deviceId: string): number {
  return createHash('sha1').update(deviceId).digest().readUIntBE(0, 6);
}

export function encodeDevices(hashes: Iterable<number>): Buffer {
  const values = Float64Array.from(hashes);
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

export function decodeDevices(blob: Buffer): Float64Array {
  // Copy: a Buffer from SQLite may not be 8-byte aligned for a Float64Array view.
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float64Array(copy.buffer);
}
