/** A slot's stored form keeps its meetings bounded without losing one from the count. */
import { describe, expect, it } from 'vitest';
import {
  type Aggregate,
  addEvent,
  encodeAggregate,
  MAX_KEYS_PER_SLOT,
  MAX_MEETINGS_PER_SLOT,
  mergeStored,
  OTHER,
} from '../../src/server/telemetry/report/aggregate';

const join = (into: Aggregate, partner: string, threadId: string | null) =>
  addEvent(into, { type: 'usage', metric: 'joinSuccess', value: 1, a: partner, b: threadId, c: null });

/** Meetings in an aggregate: distinct pm keys plus joins that named none (pj). */
function meetings(aggregate: Aggregate): number {
  let n = 0;
  for (const [key, value] of aggregate) {
    if (key.startsWith('pm:')) n++;
    else if (key.startsWith('pj:')) n += value;
  }
  return n;
}

describe('meetings in a slot', () => {
  it('count a meeting once however many join it', () => {
    const slot: Aggregate = new Map();
    for (let i = 0; i < 5; i++) join(slot, 'contoso.com', '19:meeting_a@thread.v2');
    join(slot, 'contoso.com', '19:meeting_b@thread.v2');
    join(slot, 'contoso.com', null);
    expect(meetings(slot)).toBe(3);
    expect(slot.get('u:joinSuccess')).toBe(7);
  });

  it(`keep at most ${MAX_MEETINGS_PER_SLOT} meetings of ${MAX_KEYS_PER_SLOT} domains when stored, the rest counted as joins`, () => {
    const slot: Aggregate = new Map();
    for (let i = 0; i < MAX_MEETINGS_PER_SLOT + 300; i++) join(slot, 'contoso.com', `19:meeting_${i}@thread.v2`);
    for (let d = 0; d < MAX_KEYS_PER_SLOT + 20; d++) join(slot, `d${d}.example`, `19:meeting_d${d}@thread.v2`);
    const added = MAX_MEETINGS_PER_SLOT + 300 + MAX_KEYS_PER_SLOT + 20;
    expect(meetings(slot)).toBe(added);
    const stored: Aggregate = new Map();
    mergeStored(stored, encodeAggregate(slot));
    const kept = [...stored.keys()].filter((k) => k.startsWith('pm:'));
    expect(kept.length).toBeLessThanOrEqual(MAX_MEETINGS_PER_SLOT);
    expect(new Set(kept.map((k) => k.slice(3, k.lastIndexOf('|')))).size).toBeLessThanOrEqual(MAX_KEYS_PER_SLOT);
    expect([...stored.keys()].filter((k) => k.startsWith('pj:')).length).toBeLessThanOrEqual(MAX_KEYS_PER_SLOT + 1);
    expect(stored.get(`pj:${OTHER}`)).toBeGreaterThan(0);
    // Nothing lost from the count: what no longer fits is a join that names no meeting.
    expect(meetings(stored)).toBe(added);
  });
});
