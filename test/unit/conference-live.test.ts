import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveMeetings, type Participant, type Sink } from '../../src/server/conference/live';
import type { StreamEvent } from '../../src/shared/api-schema';

interface Recorded {
  sink: Sink;
  events: { id?: number; event: StreamEvent }[];
  closed: boolean;
}

function recorder(): Recorded {
  const rec: Recorded = {
    events: [],
    closed: false,
    sink: {
      send: (id, event) => rec.events.push({ id, event }),
      close: () => {
        rec.closed = true;
      },
    },
  };
  return rec;
}

const chats = (rec: Recorded) =>
  rec.events.flatMap((e) => (e.event.type === 'chat' ? [`${e.id}:${e.event.message.text}`] : []));

describe('LiveMeetings', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives every participant an unguessable token and refuses a wrong one', () => {
    const live = new LiveMeetings();
    const a = live.join('m', 'Ann', 'guest', false);
    const b = live.join('m', 'Ben', 'guest', false);
    expect(a && b).toBeTruthy();
    expect(a?.token).not.toBe(b?.token);
    expect(a?.token.length).toBeGreaterThanOrEqual(32);
    expect(live.authenticate(a?.id ?? '', a?.token ?? '')).toBe(a);
    expect(live.authenticate(a?.id ?? '', b?.token ?? '')).toBeUndefined();
    expect(live.authenticate('nobody', a?.token ?? '')).toBeUndefined();
  });

  it('resumes a stream after the last event seen: nothing lost, nothing twice', () => {
    const live = new LiveMeetings();
    const org = live.join('m', 'Org', 'organizer', false);
    const guest = live.join('m', 'Guest', 'guest', false);
    if (!org || !guest) throw new Error('join failed');
    const first = recorder();
    live.connect(guest, first.sink, 0);
    live.chat(org, 'one', 'client-1-aaaa');
    live.chat(org, 'two', 'client-2-aaaa');
    live.disconnect(guest, first.sink);
    live.chat(org, 'three', 'client-3-aaaa');
    live.chat(org, 'four', 'client-4-aaaa');
    const lastSeen = Math.max(...first.events.map((e) => e.id ?? 0));
    const second = recorder();
    live.connect(guest, second.sink, lastSeen);
    expect(second.events[0]?.event.type).toBe('snapshot');
    expect([...chats(first), ...chats(second)]).toEqual(['1:one', '2:two', '3:three', '4:four']);
    // A fresh stream with no id replays the whole log (a message sent before the stream opened is kept).
    const fresh = recorder();
    live.connect(guest, fresh.sink, 0);
    expect(chats(fresh)).toEqual(['1:one', '2:two', '3:three', '4:four']);
  });

  it('stores a retried send once', () => {
    const live = new LiveMeetings();
    const a = live.join('m', 'Ann', 'guest', false);
    if (!a) throw new Error('join failed');
    const rec = recorder();
    live.connect(a, rec.sink, 0);
    const first = live.chat(a, 'hello', 'same-client-id');
    const again = live.chat(a, 'hello', 'same-client-id');
    expect(first.ok && again.ok && first.message.id === again.message.id).toBe(true);
    expect(chats(rec)).toEqual(['1:hello']);
  });

  it('limits messages per participant per minute', () => {
    const live = new LiveMeetings({ maxChatPerMinute: 3 });
    const a = live.join('m', 'Ann', 'guest', false);
    if (!a) throw new Error('join failed');
    const results = [1, 2, 3, 4].map((n) => live.chat(a, `m${n}`, `client-id-${n}`).ok);
    expect(results).toEqual([true, true, true, false]);
    vi.advanceTimersByTime(60_001);
    expect(live.chat(a, 'later', 'client-id-later').ok).toBe(true);
  });

  it('bounds seats and the lobby apart; the organizer always gets in; a full meeting admits no one', () => {
    const live = new LiveMeetings({ maxParticipantsPerMeeting: 2, maxLobbyPerMeeting: 2 });
    // One address fills the lobby of a lobby meeting...
    const waiting = [live.join('m', 'A', 'guest', true), live.join('m', 'B', 'guest', true)];
    expect(waiting.every(Boolean)).toBe(true);
    expect(live.join('m', 'C', 'guest', true)).toBeUndefined();
    // ...and the organizer still gets in, past full seats too.
    const org = live.join('m', 'Org', 'organizer', true);
    const [a, b] = waiting as [Participant, Participant];
    expect(org?.state).toBe('in-meeting');
    expect(live.decide(org as Participant, a.id, true)).toBe(true);
    expect(live.decide(org as Participant, b.id, true)).toBe('full');
    expect(b.state).toBe('lobby');
    expect(live.join('m', 'Org 2', 'organizer', true)?.state).toBe('in-meeting');
    // Seats of a meeting without lobby are bounded too; another meeting is not affected.
    const open = new LiveMeetings({ maxParticipantsPerMeeting: 2 });
    expect(open.join('n', 'D', 'guest', false)).toBeDefined();
    expect(open.join('n', 'E', 'guest', false)).toBeDefined();
    expect(open.join('n', 'F', 'guest', false)).toBeUndefined();
    expect(open.join('n', 'Org', 'organizer', false)?.state).toBe('in-meeting');
    expect(open.join('other', 'G', 'guest', false)).toBeDefined();
  });

  it('drops a lobby guest with no open event stream after the grace, not the lobby timeout', () => {
    const live = new LiveMeetings({ disconnectGraceMs: 5000, lobbyTimeoutMs: 15 * 60_000 });
    const org = live.join('m', 'Org', 'organizer', true) as Participant;
    live.connect(org, recorder().sink, 0);
    const silent = live.join('m', 'Never connects', 'guest', true) as Participant;
    const present = live.join('m', 'Connected', 'guest', true) as Participant;
    const stream = recorder();
    live.connect(present, stream.sink, 0);
    vi.advanceTimersByTime(5001);
    expect(silent.state).toBe('gone');
    expect(present.state).toBe('lobby');
    // A guest whose stream drops is dropped after the same grace.
    live.disconnect(present, stream.sink);
    vi.advanceTimersByTime(5001);
    expect(present.state).toBe('gone');
  });

  it('lets the organizer remove anyone else, who then reads "removed"', () => {
    const live = new LiveMeetings();
    const org = live.join('m', 'Org', 'organizer', false) as Participant;
    const guest = live.join('m', 'Guest', 'guest', false) as Participant;
    const stream = recorder();
    live.connect(guest, stream.sink, 0);
    expect(live.remove(org, org.id)).toBe(false);
    expect(live.remove(guest, org.id)).toBe(true); // the route only lets organizers call this
    const guest2 = live.join('m', 'Guest 2', 'guest', false) as Participant;
    const stream2 = recorder();
    live.connect(guest2, stream2.sink, 0);
    expect(live.remove(org, guest2.id)).toBe(true);
    expect(stream2.closed).toBe(true);
    expect(stream2.events.at(-1)?.event).toEqual({ type: 'end', reason: 'removed' });
    expect(live.roster('m').map((p) => p.displayName)).toEqual(['Guest']);
    expect(stream.closed).toBe(false);
  });

  it('keeps a few streams per participant: a new one closes the oldest', () => {
    const live = new LiveMeetings({ maxStreamsPerParticipant: 2 });
    const guest = live.join('m', 'Guest', 'guest', false) as Participant;
    const streams = [recorder(), recorder(), recorder()];
    for (const s of streams) live.connect(guest, s.sink, 0);
    expect(streams.map((s) => s.closed)).toEqual([true, false, false]);
    expect(guest.sinks.size).toBe(2);
  });

  it('keeps lobby guests out of chat and roster until admitted; organizers see the lobby', () => {
    const live = new LiveMeetings();
    const org = live.join('m', 'Org', 'organizer', true);
    const guest = live.join('m', 'Guest', 'guest', true);
    if (!org || !guest) throw new Error('join failed');
    expect(org.state).toBe('in-meeting');
    expect(guest.state).toBe('lobby');
    const orgRec = recorder();
    const guestRec = recorder();
    live.connect(org, orgRec.sink, 0);
    live.connect(guest, guestRec.sink, 0);
    expect(orgRec.events[0]?.event).toMatchObject({ type: 'snapshot', lobby: [{ displayName: 'Guest' }] });
    expect(guestRec.events[0]?.event).toMatchObject({ type: 'snapshot', state: 'lobby', roster: [], lobby: [] });
    live.chat(org, 'secret', 'client-secret-1');
    expect(chats(guestRec)).toEqual([]);
    expect(live.decide(org, guest.id, true)).toBe(true);
    // Admitted, then the roster that now includes them.
    expect(guestRec.events.slice(-2).map((e) => e.event.type)).toEqual(['admitted', 'roster']);
    expect(guest.state).toBe('in-meeting');
    expect(live.decide(org, guest.id, true)).toBe(false);
    live.chat(org, 'welcome', 'client-welcome-1');
    expect(chats(guestRec).map((c) => c.split(':')[1])).toEqual(['welcome']);
  });

  it('denies, times out the lobby, and ends the meeting with a final event each', () => {
    const live = new LiveMeetings({ lobbyTimeoutMs: 1000 });
    const org = live.join('m', 'Org', 'organizer', true);
    const denied = live.join('m', 'D', 'guest', true);
    const waits = live.join('m', 'W', 'guest', true);
    const inside = live.join('m', 'I', 'guest', false);
    if (!org || !denied || !waits || !inside) throw new Error('join failed');
    const recs = [denied, waits, inside].map((p) => {
      const rec = recorder();
      live.connect(p, rec.sink, 0);
      return rec;
    });
    live.decide(org, denied.id, false);
    expect(recs[0]?.events.at(-1)?.event).toEqual({ type: 'end', reason: 'denied' });
    expect(recs[0]?.closed).toBe(true);
    vi.advanceTimersByTime(1001);
    expect(recs[1]?.events.at(-1)?.event).toEqual({ type: 'end', reason: 'lobby-timeout' });
    live.end(org);
    expect(recs[2]?.events.at(-1)?.event).toEqual({ type: 'end', reason: 'ended' });
    expect(live.roster('m')).toEqual([]);
    // A stream that reconnects late still learns how it ended, then closes.
    const late = recorder();
    live.connect(inside, late.sink, 0);
    expect(late.events.map((e) => e.event.type)).toEqual(['end']);
    expect(late.closed).toBe(true);
  });

  it('removes a participant whose stream stays closed past the grace period', () => {
    const live = new LiveMeetings({ disconnectGraceMs: 5000 });
    const a = live.join('m', 'Ann', 'guest', false);
    const b = live.join('m', 'Ben', 'guest', false);
    if (!a || !b) throw new Error('join failed');
    const ra = recorder();
    const rb = recorder();
    live.connect(a, ra.sink, 0);
    live.connect(b, rb.sink, 0);
    live.disconnect(b, rb.sink);
    vi.advanceTimersByTime(4000);
    const back = recorder();
    live.connect(b, back.sink, 0);
    vi.advanceTimersByTime(10_000);
    expect(live.roster('m').map((p) => p.displayName)).toEqual(['Ann', 'Ben']);
    live.disconnect(b, back.sink);
    vi.advanceTimersByTime(5001);
    expect(live.roster('m').map((p) => p.displayName)).toEqual(['Ann']);
    expect(ra.events.at(-1)?.event).toEqual({
      type: 'roster',
      roster: [expect.objectContaining({ displayName: 'Ann' })],
    });
  });

  it('closes every open stream on shutdown', () => {
    const live = new LiveMeetings();
    const a = live.join('m', 'Ann', 'guest', false);
    if (!a) throw new Error('join failed');
    const rec = recorder();
    live.connect(a, rec.sink, 0);
    live.closeAllStreams();
    expect(rec.closed).toBe(true);
  });
});
