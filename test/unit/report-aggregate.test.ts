/** A slot's stored form keeps its meetings bounded without losing one from the count. */
import { describe, expect, it } from 'vitest';
import {
  type Aggregate,
  addEvent,
  countMeetings,
  encodeAggregate,
  MAX_KEYS_PER_SLOT,
  MAX_MEETINGS_PER_SLOT,
  type MeetingParts,
  type Meetings,
  mergeStored,
  OTHER,
  packHashes,
  unpackHashes,
} from '../../src/server/telemetry/report/aggregate';
import { TELEMETRY_LIMITS } from '../../src/shared/telemetry-limits';

interface Slot {
  aggregate: Aggregate;
  meetings: Meetings;
}
const slot = (): Slot => ({ aggregate: new Map(), meetings: new Map() });
const join = (into: Slot, partner: string, threadId: string | null) =>
  addEvent(
    into.aggregate,
    { type: 'usage', metric: 'joinSuccess', value: 1, a: partner, b: threadId, c: null },
    into.meetings,
  );

/** Meetings of a stored slot read back: distinct hashes per domain plus joins that named none (pj). */
function storedMeetings(json: string): { total: number; parts: MeetingParts; aggregate: Aggregate } {
  const aggregate: Aggregate = new Map();
  const parts: MeetingParts = new Map();
  mergeStored(aggregate, json, parts);
  let total = 0;
  for (const n of countMeetings(parts).values()) total += n;
  for (const [key, n] of aggregate) if (key.startsWith('pj:')) total += n;
  return { total, parts, aggregate };
}

describe('meetings in a slot', () => {
  it('count a meeting once however many join it', () => {
    const s = slot();
    for (let i = 0; i < 5; i++) join(s, 'contoso.com', '19:meeting_a@thread.v2');
    join(s, 'contoso.com', '19:meeting_b@thread.v2');
    join(s, 'contoso.com', null);
    expect(s.meetings.get('contoso.com')?.size).toBe(2);
    expect(s.aggregate.get('pj:contoso.com')).toBe(1);
    expect(s.aggregate.get('u:joinSuccess')).toBe(7);
    expect(storedMeetings(encodeAggregate(s.aggregate, s.meetings)).total).toBe(3);
  });

  it('are stored as one packed entry per domain, not a key per meeting', () => {
    const s = slot();
    for (let i = 0; i < 100; i++) join(s, 'contoso.com', `19:meeting_${i}@thread.v2`);
    const pairs = JSON.parse(encodeAggregate(s.aggregate, s.meetings)) as (string | number)[];
    const keys = pairs.filter((_, i) => i % 2 === 0);
    expect(keys.filter((k) => String(k).includes('contoso.com'))).toEqual(['mh:contoso.com']);
    // 4 bytes a meeting, in base64.
    expect(String(pairs[keys.indexOf('mh:contoso.com') * 2 + 1]).length).toBe(Math.ceil(400 / 3) * 4);
  });

  it('union over slots: a meeting joined in two slots of a day counts once', () => {
    const [one, two] = [slot(), slot()];
    join(one, 'contoso.com', '19:meeting_a@thread.v2');
    join(one, 'contoso.com', '19:meeting_b@thread.v2');
    join(two, 'contoso.com', '19:meeting_a@thread.v2');
    join(two, 'fabrikam.com', '19:meeting_a@thread.v2');
    const day: Aggregate = new Map();
    const parts: MeetingParts = new Map();
    for (const s of [one, two]) mergeStored(day, encodeAggregate(s.aggregate, s.meetings), parts);
    expect(Object.fromEntries(countMeetings(parts))).toEqual({ 'contoso.com': 2, 'fabrikam.com': 1 });
    expect(day.get('u:joinSuccess')).toBe(4);
  });

  it('pack 32-bit hashes exactly, sorted', () => {
    const hashes = [2 ** 32 - 1, 0, 1, 2 ** 31, 123_456_789, 2 ** 16 + 7];
    expect(unpackHashes(packHashes(hashes))).toEqual([...hashes].sort((x, y) => x - y));
    expect(unpackHashes(packHashes([]))).toEqual([]);
  });

  it('count distinct hashes over parts, zero and hashes that share their low bits included', () => {
    // 0, and values equal modulo the table's size (they take the next free cell).
    const parts: MeetingParts = new Map([
      ['contoso.com', [packHashes([0, 1 << 20, 2 << 20, 3 << 20, 5]), packHashes([0, 2 << 20, 2 ** 32 - 1]), '']],
      ['fabrikam.com', [packHashes([7])]],
    ]);
    expect(Object.fromEntries(countMeetings(parts))).toEqual({ 'contoso.com': 6, 'fabrikam.com': 1 });
    // The table is reused: a second, larger count starts from an empty one.
    const many = Array.from({ length: 10_000 }, (_, i) => (i * 2654435761) >>> 0);
    const again: MeetingParts = new Map([
      ['contoso.com', [packHashes(many.slice(0, 6000)), packHashes(many.slice(4000))]],
    ]);
    expect(countMeetings(again).get('contoso.com')).toBe(10_000);
    expect(countMeetings(parts).get('contoso.com')).toBe(6);
  });

  it(`keep at most ${MAX_MEETINGS_PER_SLOT} meetings of ${MAX_KEYS_PER_SLOT} domains when stored, the rest counted as joins`, () => {
    const s = slot();
    for (let i = 0; i < MAX_MEETINGS_PER_SLOT + 300; i++) join(s, 'contoso.com', `19:meeting_${i}@thread.v2`);
    // Domains as long as the ingest takes, each with two meetings.
    const long = (d: number) => `d${d}.${'x'.repeat(TELEMETRY_LIMITS.federationPartner - 12)}.example`.slice(0, 253);
    for (let d = 0; d < MAX_KEYS_PER_SLOT + 20; d++)
      for (const m of ['a', 'b']) join(s, long(d), `19:meeting_d${d}${m}@thread.v2`);
    join(s, 'fabrikam.com', null);
    const added = MAX_MEETINGS_PER_SLOT + 300 + (MAX_KEYS_PER_SLOT + 20) * 2 + 1;
    const json = encodeAggregate(s.aggregate, s.meetings);
    const { total, parts, aggregate } = storedMeetings(json);
    const kept = [...parts.values()].reduce(
      (n, packed) => n + packed.reduce((m, p) => m + unpackHashes(p).length, 0),
      0,
    );
    expect(kept).toBe(MAX_MEETINGS_PER_SLOT);
    expect(parts.size).toBeLessThanOrEqual(MAX_KEYS_PER_SLOT);
    expect([...aggregate.keys()].filter((k) => k.startsWith('pj:')).length).toBeLessThanOrEqual(MAX_KEYS_PER_SLOT + 1);
    expect(aggregate.get(`pj:${OTHER}`)).toBeGreaterThan(0);
    // Nothing lost from the count: what no longer fits is a join that names no meeting.
    expect(total).toBe(added);
    // Bounded: 2,000 meetings at 4 bytes in base64, 50 domain keys and 51 join keys of at most 256
    // characters, and the slot's other counters.
    expect(json.length).toBeLessThan(MAX_MEETINGS_PER_SLOT * 6 + (2 * MAX_KEYS_PER_SLOT + 1) * 270 + 2_000);
  });
});
