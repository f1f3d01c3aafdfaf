/** The behaviour of live meetings, the same on both implementations (in memory; PostgreSQL). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Live, Participant } from '../../src/server/conference/live';
import { chats, type Engine, memoryEngine, postgresEngine, recorder } from '../support/live-engines';

const stateOf = async (live: Live, p: Participant | undefined) => (await live.participant(p?.id ?? ''))?.state;

describe.each<[string, Engine]>([
  ['memory', memoryEngine()],
  ['postgres', postgresEngine()],
])('live meetings (%s)', (_name, engine) => {
  beforeAll(() => engine.setUp());
  afterEach(() => engine.reset());
  afterAll(() => engine.tearDown());

  it('gives every participant an unguessable token and refuses a wrong one', async () => {
    const { live } = await engine.open();
    const a = await live.join('m', 'Ann', 'guest', false);
    const b = await live.join('m', 'Ben', 'guest', false);
    expect(a && b).toBeTruthy();
    expect(a?.token).not.toBe(b?.token);
    expect(a?.token.length).toBeGreaterThanOrEqual(32);
    expect(await live.authenticate(a?.id ?? '', a?.token ?? '')).toEqual(a);
    expect(await live.authenticate(a?.id ?? '', b?.token ?? '')).toBeUndefined();
    expect(await live.authenticate('nobody', a?.token ?? '')).toBeUndefined();
  });

  it('resumes a stream after the last event seen: nothing lost, nothing twice', async () => {
    const { live, settle } = await engine.open();
    const org = await live.join('m', 'Org', 'organizer', false);
    const guest = await live.join('m', 'Guest', 'guest', false);
    if (!org || !guest) throw new Error('join failed');
    const first = recorder();
    await live.connect(guest, first.sink, 0);
    await live.chat(org, 'one', 'client-1-aaaa');
    await live.chat(org, 'two', 'client-2-aaaa');
    await settle();
    await live.disconnect(guest, first.sink);
    await live.chat(org, 'three', 'client-3-aaaa');
    await live.chat(org, 'four', 'client-4-aaaa');
    const lastSeen = Math.max(...first.events.map((e) => e.id ?? 0));
    const second = recorder();
    await live.connect(guest, second.sink, lastSeen);
    await settle();
    expect(second.events[0]?.event.type).toBe('snapshot');
    expect([...chats(first), ...chats(second)]).toEqual(['1:one', '2:two', '3:three', '4:four']);
    // A fresh stream with no id replays the whole log (a message sent before the stream opened is kept).
    const fresh = recorder();
    await live.connect(guest, fresh.sink, 0);
    await settle();
    expect(chats(fresh)).toEqual(['1:one', '2:two', '3:three', '4:four']);
  });

  it('gives two streams of one participant, resumed from different points, each event once', async () => {
    const { live, settle } = await engine.open();
    const org = (await live.join('m', 'Org', 'organizer', false)) as Participant;
    const guest = (await live.join('m', 'Guest', 'guest', false)) as Participant;
    for (const n of [1, 2, 3]) await live.chat(org, `c${n}`, `client-c${n}-0001`);
    const fromStart = recorder();
    const fromTwo = recorder();
    await live.connect(guest, fromStart.sink, 0);
    await live.connect(guest, fromTwo.sink, 2);
    await live.chat(org, 'c4', 'client-c4-0001');
    await live.chat(org, 'c5', 'client-c5-0001');
    await settle();
    expect(chats(fromStart)).toEqual(['1:c1', '2:c2', '3:c3', '4:c4', '5:c5']);
    expect(chats(fromTwo)).toEqual(['3:c3', '4:c4', '5:c5']);
  });

  it('stores a retried send once', async () => {
    const { live, settle } = await engine.open();
    const a = await live.join('m', 'Ann', 'guest', false);
    if (!a) throw new Error('join failed');
    const rec = recorder();
    await live.connect(a, rec.sink, 0);
    const first = await live.chat(a, 'hello', 'same-client-id');
    const again = await live.chat(a, 'hello', 'same-client-id');
    await settle();
    expect(first.ok && again.ok && first.message.id === again.message.id).toBe(true);
    expect(chats(rec)).toEqual(['1:hello']);
  });

  it('limits messages per participant per minute', async () => {
    const { live, advance } = await engine.open({ maxChatPerMinute: 3 });
    const a = await live.join('m', 'Ann', 'guest', false);
    if (!a) throw new Error('join failed');
    const results = [];
    for (const n of [1, 2, 3, 4]) results.push((await live.chat(a, `m${n}`, `client-id-${n}`)).ok);
    expect(results).toEqual([true, true, true, false]);
    await advance(60_001);
    expect((await live.chat(a, 'later', 'client-id-later')).ok).toBe(true);
  });

  it('bounds seats and the lobby apart; the organizer always gets in; a full meeting admits no one', async () => {
    const { live } = await engine.open({ maxParticipantsPerMeeting: 2, maxLobbyPerMeeting: 2 });
    // One address fills the lobby of a lobby meeting...
    const waiting = [await live.join('m', 'A', 'guest', true), await live.join('m', 'B', 'guest', true)];
    expect(waiting.every(Boolean)).toBe(true);
    expect(await live.join('m', 'C', 'guest', true)).toBeUndefined();
    // ...and the organizer still gets in, past full seats too.
    const org = await live.join('m', 'Org', 'organizer', true);
    const [a, b] = waiting as [Participant, Participant];
    expect(org?.state).toBe('in-meeting');
    expect(await live.decide(org as Participant, a.id, true)).toBe(true);
    expect(await live.decide(org as Participant, b.id, true)).toBe('full');
    expect(await stateOf(live, b)).toBe('lobby');
    expect((await live.join('m', 'Org 2', 'organizer', true))?.state).toBe('in-meeting');
    // Seats of a meeting without lobby are bounded too; another meeting is not affected.
    const open = (await engine.open({ maxParticipantsPerMeeting: 2 })).live;
    expect(await open.join('n', 'D', 'guest', false)).toBeDefined();
    expect(await open.join('n', 'E', 'guest', false)).toBeDefined();
    expect(await open.join('n', 'F', 'guest', false)).toBeUndefined();
    expect((await open.join('n', 'Org', 'organizer', false))?.state).toBe('in-meeting');
    expect(await open.join('other', 'G', 'guest', false)).toBeDefined();
  });

  it('drops a lobby guest with no open event stream after the grace, not the lobby timeout', async () => {
    const { live, advance } = await engine.open({ disconnectGraceMs: 5000, lobbyTimeoutMs: 15 * 60_000 });
    const org = (await live.join('m', 'Org', 'organizer', true)) as Participant;
    await live.connect(org, recorder().sink, 0);
    const silent = (await live.join('m', 'Never connects', 'guest', true)) as Participant;
    const present = (await live.join('m', 'Connected', 'guest', true)) as Participant;
    const stream = recorder();
    await live.connect(present, stream.sink, 0);
    await advance(5001);
    expect(await stateOf(live, silent)).toBe('gone');
    expect(await stateOf(live, present)).toBe('lobby');
    // A guest whose stream drops is dropped after the same grace.
    await live.disconnect(present, stream.sink);
    await advance(5001);
    expect(await stateOf(live, present)).toBe('gone');
  });

  it('lets the organizer remove anyone else, who then reads "removed"', async () => {
    const { live, settle } = await engine.open();
    const org = (await live.join('m', 'Org', 'organizer', false)) as Participant;
    const guest = (await live.join('m', 'Guest', 'guest', false)) as Participant;
    const stream = recorder();
    await live.connect(guest, stream.sink, 0);
    expect(await live.remove(org, org.id)).toBe(false);
    expect(await live.remove(guest, org.id)).toBe(true); // the route only lets organizers call this
    const guest2 = (await live.join('m', 'Guest 2', 'guest', false)) as Participant;
    const stream2 = recorder();
    await live.connect(guest2, stream2.sink, 0);
    expect(await live.remove(org, guest2.id)).toBe(true);
    await settle();
    expect(stream2.closed).toBe(true);
    expect(stream2.events.at(-1)?.event).toEqual({ type: 'end', reason: 'removed' });
    expect((await live.roster('m')).map((p) => p.displayName)).toEqual(['Guest']);
    expect(stream.closed).toBe(false);
  });

  it('keeps a few streams per participant: a new one closes the oldest', async () => {
    const { live, settle } = await engine.open({ maxStreamsPerParticipant: 2 });
    const guest = (await live.join('m', 'Guest', 'guest', false)) as Participant;
    const streams = [recorder(), recorder(), recorder()];
    for (const s of streams) await live.connect(guest, s.sink, 0);
    await settle();
    expect(streams.map((s) => s.closed)).toEqual([true, false, false]);
    expect((await live.counts()).streams).toBe(2);
  });

  it('keeps lobby guests out of chat and roster until admitted; organizers see the lobby', async () => {
    const { live, settle } = await engine.open();
    const org = await live.join('m', 'Org', 'organizer', true);
    const guest = await live.join('m', 'Guest', 'guest', true);
    if (!org || !guest) throw new Error('join failed');
    expect(org.state).toBe('in-meeting');
    expect(guest.state).toBe('lobby');
    const orgRec = recorder();
    const guestRec = recorder();
    await live.connect(org, orgRec.sink, 0);
    await live.connect(guest, guestRec.sink, 0);
    expect(orgRec.events[0]?.event).toMatchObject({ type: 'snapshot', lobby: [{ displayName: 'Guest' }] });
    expect(guestRec.events[0]?.event).toMatchObject({ type: 'snapshot', state: 'lobby', roster: [], lobby: [] });
    await live.chat(org, 'secret', 'client-secret-1');
    await settle();
    expect(chats(guestRec)).toEqual([]);
    expect(await live.decide(org, guest.id, true)).toBe(true);
    await settle();
    // Admitted, then the roster that now includes them.
    expect(guestRec.events.slice(-2).map((e) => e.event.type)).toEqual(['admitted', 'roster']);
    expect(await stateOf(live, guest)).toBe('in-meeting');
    expect(await live.decide(org, guest.id, true)).toBe(false);
    await live.chat(org, 'welcome', 'client-welcome-1');
    await settle();
    expect(chats(guestRec).map((c) => c.split(':')[1])).toEqual(['welcome']);
  });

  it('denies, times out the lobby, and ends the meeting with a final event each', async () => {
    const { live, settle, advance } = await engine.open({ lobbyTimeoutMs: 1000 });
    const org = await live.join('m', 'Org', 'organizer', true);
    const denied = await live.join('m', 'D', 'guest', true);
    const waits = await live.join('m', 'W', 'guest', true);
    const inside = await live.join('m', 'I', 'guest', false);
    if (!org || !denied || !waits || !inside) throw new Error('join failed');
    const recs = [];
    for (const p of [denied, waits, inside]) {
      const rec = recorder();
      await live.connect(p, rec.sink, 0);
      recs.push(rec);
    }
    await live.decide(org, denied.id, false);
    await settle();
    expect(recs[0]?.events.at(-1)?.event).toEqual({ type: 'end', reason: 'denied' });
    expect(recs[0]?.closed).toBe(true);
    await advance(1001);
    expect(recs[1]?.events.at(-1)?.event).toEqual({ type: 'end', reason: 'lobby-timeout' });
    await live.end(org);
    await settle();
    expect(recs[2]?.events.at(-1)?.event).toEqual({ type: 'end', reason: 'ended' });
    expect(await live.roster('m')).toEqual([]);
    // A stream that reconnects late still learns how it ended, then closes.
    const late = recorder();
    await live.connect(inside, late.sink, 0);
    expect(late.events.map((e) => e.event.type)).toEqual(['end']);
    expect(late.closed).toBe(true);
  });

  it('removes a participant whose stream stays closed past the grace period', async () => {
    const { live, advance } = await engine.open({ disconnectGraceMs: 5000 });
    const a = await live.join('m', 'Ann', 'guest', false);
    const b = await live.join('m', 'Ben', 'guest', false);
    if (!a || !b) throw new Error('join failed');
    const ra = recorder();
    const rb = recorder();
    await live.connect(a, ra.sink, 0);
    await live.connect(b, rb.sink, 0);
    await live.disconnect(b, rb.sink);
    await advance(4000);
    const back = recorder();
    await live.connect(b, back.sink, 0);
    await advance(10_000);
    expect((await live.roster('m')).map((p) => p.displayName)).toEqual(['Ann', 'Ben']);
    await live.disconnect(b, back.sink);
    await advance(5001);
    expect((await live.roster('m')).map((p) => p.displayName)).toEqual(['Ann']);
    expect(ra.events.at(-1)?.event).toEqual({
      type: 'roster',
      roster: [expect.objectContaining({ displayName: 'Ann' })],
    });
  });

  it('keeps the last maxLoggedEvents events for resuming', async () => {
    const { live } = await engine.open({ maxLoggedEvents: 3, maxChatPerMinute: 100 });
    const org = (await live.join('m', 'Org', 'organizer', false)) as Participant;
    const guest = (await live.join('m', 'Guest', 'guest', false)) as Participant;
    for (const n of [1, 2, 3, 4, 5]) await live.chat(org, `c${n}`, `client-c${n}-0001`);
    const rec = recorder();
    await live.connect(guest, rec.sink, 0);
    expect(chats(rec)).toEqual(['3:c3', '4:c4', '5:c5']);
  });

  it('forgets a gone participant after the tombstone time, not before', async () => {
    const { live, advance } = await engine.open({ tombstoneMs: 10_000 });
    const org = (await live.join('m', 'Org', 'organizer', false)) as Participant;
    const guest = (await live.join('m', 'Guest', 'guest', false)) as Participant;
    await live.remove(org, guest.id);
    await advance(9000);
    expect((await live.authenticate(guest.id, guest.token))?.state).toBe('gone');
    await advance(2000);
    expect(await live.authenticate(guest.id, guest.token)).toBeUndefined();
  });

  it('closes every open stream on shutdown', async () => {
    const { live } = await engine.open();
    const a = await live.join('m', 'Ann', 'guest', false);
    if (!a) throw new Error('join failed');
    const rec = recorder();
    await live.connect(a, rec.sink, 0);
    await live.closeAllStreams();
    expect(rec.closed).toBe(true);
  });
});
