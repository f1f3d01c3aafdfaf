/**
 * What the report keeps of a pool's events in one time slot (or one day, or a whole period: the
 * same shape merges up): a flat map of counters, so merging is one loop of additions.
 *
 *   s                  census events (page sessions)
 *   u:<metric>         usage sums (joinAttempt, joinSuccess, meetingMinutes, imSent, imReceived)
 *   e:<code>           error reports by code
 *   pj:<domain>        joins that name no meeting (a page without the id, or past the slot's
 *                      cap): one meeting each
 *   p:<domain>         joins, as roll-ups stored before meetings were named kept them
 *   pm:<domain>|<id>   one meeting, as the first roll-ups that named meetings kept them (read only)
 *   co: / cd: / cl:    page sessions by OS, device class, language
 *   v:<name>:<bucket>  web-vital samples by bucket (vitalBucket)
 *
 * Devices are kept beside it as a set of 48-bit hashes of their DeviceIDs, so that distinct
 * devices can be counted over any days. Meetings joined (joinSuccess that names its conversation
 * id) are kept beside it too, as 32-bit hashes of their conversation ids by the organizer's SIP
 * domain (`Meetings`), so that a day counts each partner's distinct meetings. Stored, a slot's
 * meetings of one domain are one entry of its JSON, `mh:<domain>` with the sorted hashes packed
 * 4 bytes each in base64: the report hands a day's strings per domain to countMeetings, which
 * decodes them straight into one reused hash table; no key, number array or string per meeting.
 * 32 bits are plenty for a day's count: at 10,000 meetings of a domain in a day, 0.01 expected
 * collisions; at the cap (96 slots x 2,000), about 4 of 192,000 (0.002%).
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
const CAPPED_PREFIXES = ['e', 'p', 'co', 'cd', 'cl'];
/**
 * A slot keeps at most this many meetings (of at most MAX_KEYS_PER_SLOT domains); past it, a
 * meeting counts as a join that names none (pj), so a flood of made-up conversation ids cannot
 * grow a slot either: its meetings take at most 2,000 x 4 bytes (about 11 KB in base64).
 */
export const MAX_MEETINGS_PER_SLOT = 2000;
const MEETINGS_PREFIX = 'mh:';

/** 32 bits of a conversation id's SHA-1: meetings are counted on these. */
export function meetingHash(threadId: string): number {
  return createHash('sha1').update(threadId).digest().readUInt32BE(0);
}

export type Aggregate = Map<string, number>;
/** A slot's meetings: 32-bit hashes of their conversation ids, by the organizer's SIP domain. */
export type Meetings = Map<string, Set<number>>;
/** Meetings read back from stored slots: by domain, each slot's packed hashes (packHashes). */
export type MeetingParts = Map<string, string[]>;

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

/** Adds an event; a join that names its meeting goes into `meetings`. */
export function addEvent(into: Aggregate, event: StoredEvent, meetings: Meetings): void {
  switch (event.type) {
    case 'usage': {
      if (!event.metric || !USAGE.has(event.metric)) return;
      const value = event.value ?? 0;
      add(into, `u:${event.metric}`, value);
      if (event.a && event.metric === 'joinSuccess') {
        if (event.b) addMeeting(meetings, event.a, meetingHash(event.b));
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

export function addMeeting(meetings: Meetings, domain: string, hash: number): void {
  let set = meetings.get(domain);
  if (!set) {
    set = new Set();
    meetings.set(domain, set);
  }
  set.add(hash);
}

export function mergeAggregate(into: Aggregate, from: Aggregate): void {
  for (const [key, n] of from) add(into, key, n);
}

/**
 * Adds a stored slot (its JSON: [key, n, key, n, ...]) into an aggregate; its meetings (`mh:`
 * keys, packed hashes) are added to `meetings`, one array per domain.
 */
export function mergeStored(into: Aggregate, json: string, meetings: MeetingParts): void {
  const pairs = JSON.parse(json) as (string | number)[];
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i] as string;
    const n = pairs[i + 1];
    if (typeof n === 'number') add(into, key, n);
    else if (typeof n === 'string' && key.startsWith(MEETINGS_PREFIX)) {
      const domain = key.slice(MEETINGS_PREFIX.length);
      const list = meetings.get(domain);
      if (list) list.push(n);
      else meetings.set(domain, [n]);
    }
  }
}

/** Sorted 32-bit hashes, 4 bytes each (big-endian), in base64. */
export function packHashes(hashes: Iterable<number>): string {
  const sorted = Uint32Array.from(hashes).sort();
  const bytes = Buffer.alloc(sorted.length * 4);
  for (let i = 0; i < sorted.length; i++) bytes.writeUInt32BE(sorted[i] as number, i * 4);
  return bytes.toString('base64');
}

export function unpackHashes(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  const out: number[] = [];
  for (let j = 0; j + 4 <= bytes.length; j += 4) out.push(bytes.readUInt32BE(j));
  return out;
}

/** The hash table countMeetings reuses (grown as needed): 0 marks an empty cell. */
let table = new Int32Array(1 << 12);

/**
 * Meetings counted per domain: the distinct hashes of its packed parts, decoded straight into one
 * open-addressing table (the hashes are uniformly random, so their low bits index it).
 */
export function countMeetings(parts: MeetingParts): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [domain, packed] of parts) {
    let total = 0;
    for (const part of packed) total += Buffer.byteLength(part, 'base64') >> 2;
    let size = 16;
    while (size < total * 2) size *= 2;
    if (table.length < size) table = new Int32Array(size);
    else table.fill(0, 0, size);
    const mask = size - 1;
    let count = 0;
    let zero = 0;
    for (const part of packed) {
      const bytes = Buffer.from(part, 'base64');
      for (let j = 0; j + 4 <= bytes.length; j += 4) {
        const hash =
          ((bytes[j] as number) << 24) |
          ((bytes[j + 1] as number) << 16) |
          ((bytes[j + 2] as number) << 8) |
          (bytes[j + 3] as number);
        if (hash === 0) {
          zero = 1;
          continue;
        }
        let cell = hash & mask;
        for (;;) {
          const held = table[cell] as number;
          if (held === 0) {
            table[cell] = hash;
            count++;
            break;
          }
          if (held === hash) break;
          cell = (cell + 1) & mask;
        }
      }
    }
    counts.set(domain, count + zero);
  }
  return counts;
}

/**
 * The stored form of a slot. Values come from pages, so each breakdown keeps its 50 largest keys
 * and folds the rest into OTHER, and meetings are capped (MAX_MEETINGS_PER_SLOT, of at most
 * MAX_KEYS_PER_SLOT domains, the domains with the most meetings first): a flood of made-up codes,
 * languages or meetings cannot grow a slot. A meeting past the caps is kept as a join that names
 * none (pj), so the count loses nothing but the merging of its joins.
 */
export function encodeAggregate(aggregate: Aggregate, meetings: Meetings = new Map()): string {
  const out: (string | number)[] = [];
  const groups = new Map<string, [string, number][]>();
  const joins: Aggregate = new Map();
  for (const [key, n] of aggregate) {
    if (key.startsWith('pj:')) add(joins, key, n);
    else {
      const prefix = key.slice(0, Math.max(0, key.indexOf(':')));
      if (CAPPED_PREFIXES.includes(prefix)) {
        const list = groups.get(prefix) ?? [];
        list.push([key, n]);
        groups.set(prefix, list);
      } else out.push(key, n);
    }
  }
  let room = MAX_MEETINGS_PER_SLOT;
  const byCount = [...meetings].sort((x, y) => y[1].size - x[1].size || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  for (const [i, [domain, hashes]] of byCount.entries()) {
    if (i >= MAX_KEYS_PER_SLOT) {
      add(joins, `pj:${OTHER}`, hashes.size);
      continue;
    }
    const kept = Math.min(room, hashes.size);
    room -= kept;
    if (kept < hashes.size) add(joins, `pj:${domain}`, hashes.size - kept);
    if (kept === 0) continue;
    out.push(`${MEETINGS_PREFIX}${domain}`, packHashes(kept === hashes.size ? hashes : [...hashes].slice(0, kept)));
  }
  if (joins.size > 0) groups.set('pj', [...joins]);
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
