/**
 * What the report keeps of a pool's events in one time slot (or one day, or a whole period: the
 * same shape merges up): a flat map of counters, so merging is one loop of additions.
 *
 *   s                  census events (page sessions)
 *   u:<metric>         usage sums (joinAttempt, joinSuccess, meetingMinutes, imSent, imReceived)
 *   e:<code>           error reports by code
 *   pm:<domain>|<id>   a meeting joined (joinSuccess) of the organizer's SIP domain, by a 48-bit
 *                      hash of its conversation id: the day's distinct keys are its meetings
 *   pj:<domain>        joins that name no meeting (a page without the id): one meeting each
 *   p:<domain>         joins, as roll-ups stored before meetings were named kept them
 *   co: / cd: / cl:    page sessions by OS, device class, language
 *   v:<name>:<bucket>  web-vital samples by bucket (vitalBucket)
 *
 * Devices are kept beside it as a set of 48-bit hashes of their DeviceIDs, so that distinct
 * devices can be counted over any days.
 */
import { createHash } from 'node:crypto';
import { vitalBucket } from './buckets';
import { deviceClassOf } from './census';

export const VITAL_NAMES = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
export type VitalName = (typeof VITAL_NAMES)[number];
export const CENSUS_DIMENSIONS = ['os', 'deviceClass', 'language'] as const;
export type CensusDimension = (typeof CENSUS_DIMENSIONS)[number];
export const CENSUS_PREFIX: Record<CensusDimension, string> = { os: 'co', deviceClass: 'cd', language: 'cl' };
const USAGE = new Set(['joinAttempt', 'joinSuccess', 'meetingMinutes', 'imSent', 'imReceived']);

/** A slot keeps at most this many distinct values per breakdown; the rest count as OTHER. */
export const MAX_KEYS_PER_SLOT = 50;
export const OTHER = '(other)';
const CAPPED_PREFIXES = ['e', 'p', 'pj', 'co', 'cd', 'cl'];
/**
 * A slot keeps at most this many meetings (pm keys); past it, a meeting counts as a join that
 * names none (pj), so a flood of made-up conversation ids cannot grow a slot either.
 */
export const MAX_MEETINGS_PER_SLOT = 2000;

/** 48 bits of a conversation id's SHA-1, in hex: meetings are counted on these. */
export function meetingHash(threadId: string): string {
  return createHash('sha1').update(threadId).digest('hex').slice(0, 12);
}

export type Aggregate = Map<string, number>;

const add = (into: Aggregate, key: string, n: number) => into.set(key, (into.get(key) ?? 0) + n);

/** One stored event, as the roll-up reads it from `telemetry_events`. */
export interface StoredEvent {
  type: string;
  metric: string | null;
  value: number | null;
  /** usage: the federation partner; census: the OS name. */
  a: string | null;
  /** census: the device model; usage: the meeting's conversation id. */
  b: string | null;
  /** census: the language. */
  c: string | null;
}

export function addEvent(into: Aggregate, event: StoredEvent): void {
  switch (event.type) {
    case 'usage': {
      if (!event.metric || !USAGE.has(event.metric)) return;
      const value = event.value ?? 0;
      add(into, `u:${event.metric}`, value);
      if (event.a && event.metric === 'joinSuccess') {
        if (event.b) into.set(`pm:${event.a}|${meetingHash(event.b)}`, 1);
        else add(into, `pj:${event.a}`, value);
      }
      return;
    }
    case 'census':
      add(into, 's', 1);
      add(into, `co:${event.a || 'Unknown'}`, 1);
      add(into, `cd:${deviceClassOf(event.b ?? '')}`, 1);
      add(into, `cl:${event.c || 'Unknown'}`, 1);
      return;
    case 'error':
      add(into, `e:${event.metric ?? 'unknown'}`, 1);
      return;
    case 'vital':
      if (event.metric && VITAL_NAMES.includes(event.metric as VitalName) && event.value !== null)
        add(into, `v:${event.metric}:${vitalBucket(event.value)}`, 1);
      return;
  }
}

export function mergeAggregate(into: Aggregate, from: Aggregate): void {
  for (const [key, n] of from) add(into, key, n);
}

/** Adds a stored slot (its JSON: [key, n, key, n, ...]) into an aggregate. */
export function mergeStored(into: Aggregate, json: string): void {
  const pairs = JSON.parse(json) as (string | number)[];
  for (let i = 0; i < pairs.length; i += 2) add(into, pairs[i] as string, pairs[i + 1] as number);
}

/**
 * The stored form of a slot. Values come from pages, so each breakdown keeps its 50 largest keys
 * and folds the rest into OTHER, and meetings are capped (MAX_MEETINGS_PER_SLOT): a flood of
 * made-up codes, languages or meetings cannot grow a slot.
 */
export function encodeAggregate(aggregate: Aggregate): string {
  const out: (string | number)[] = [];
  const groups = new Map<string, [string, number][]>();
  // Meetings: at most MAX_MEETINGS_PER_SLOT, of at most MAX_KEYS_PER_SLOT domains; the rest are
  // kept as joins that name no meeting (of OTHER past the domains).
  let meetings = 0;
  const meetingDomains = new Set<string>();
  const overflow: Aggregate = new Map();
  for (const [key, n] of aggregate) {
    if (key.startsWith('pm:')) {
      const domain = key.slice(3, key.lastIndexOf('|'));
      if (!meetingDomains.has(domain) && meetingDomains.size >= MAX_KEYS_PER_SLOT) {
        add(overflow, `pj:${OTHER}`, 1);
        continue;
      }
      if (++meetings > MAX_MEETINGS_PER_SLOT) {
        add(overflow, `pj:${domain}`, 1);
        continue;
      }
      meetingDomains.add(domain);
      out.push(key, n);
      continue;
    }
    const prefix = key.slice(0, Math.max(0, key.indexOf(':')));
    if (CAPPED_PREFIXES.includes(prefix)) {
      const list = groups.get(prefix) ?? [];
      list.push([key, n]);
      groups.set(prefix, list);
    } else out.push(key, n);
  }
  for (const [key, n] of overflow) {
    const list = groups.get('pj') ?? [];
    const same = list.find((entry) => entry[0] === key);
    if (same) same[1] += n;
    else list.push([key, n]);
    groups.set('pj', list);
  }
  for (const [prefix, list] of groups) {
    list.sort((x, y) => y[1] - x[1]);
    let other = 0;
    list.forEach(([key, n], i) => {
      if (i < MAX_KEYS_PER_SLOT && key !== `${prefix}:${OTHER}`) out.push(key, n);
      else other += n;
    });
    if (other > 0) out.push(`${prefix}:${OTHER}`, other);
  }
  return JSON.stringify(out);
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
