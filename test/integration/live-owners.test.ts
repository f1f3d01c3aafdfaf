/**
 * A meeting belongs to its people, not to one address (issue 21, findings 3 and 4), the same on
 * both implementations: one address holds at most its share of the seats and of the lobby; the
 * organizer locks the meeting and admits or denies the whole lobby at once; someone removed (same
 * token, device or address) comes back only through the lobby, and reads "removed", not
 * "disconnected", whichever way their page asks.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addressShare,
  type JoinOrigin,
  type JoinOutcome,
  type Live,
  type Participant,
} from '../../src/server/conference/live';
import { type Engine, memoryEngine, type PostgresEngine, postgresEngine, recorder } from '../support/live-engines';

const NAT = '203.0.113.7';
const OTHER = '198.51.100.20';

const joined = (outcome: JoinOutcome): Participant => {
  if (!outcome.ok) throw new Error(`join refused: ${outcome.problem}`);
  return outcome.participant;
};

/** `count` guests joining from `address`, one after the other (as fast as the server answers). */
async function joinMany(live: Live, count: number, address: string, lobby: boolean, meeting = 'm') {
  const outcomes: JoinOutcome[] = [];
  for (let i = 0; i < count; i++) {
    outcomes.push(await live.joinFrom(meeting, `Guest ${i}`, 'guest', lobby, { address }));
  }
  return {
    in: outcomes.filter((o) => o.ok).length,
    problems: [...new Set(outcomes.flatMap((o) => (o.ok ? [] : [o.problem])))],
  };
}

describe('the share of one address', () => {
  it('is 100 of the 250 seats and 60 of the 100 lobby places by default, never every place', () => {
    expect(addressShare(250, 0.4)).toBe(100);
    expect(addressShare(100, 0.6)).toBe(60);
    expect(addressShare(2, 0.6)).toBe(1);
    expect(addressShare(1, 0.6)).toBe(1);
  });
});

describe.each<[string, Engine]>([
  ['memory', memoryEngine()],
  ['postgres', postgresEngine()],
])('meetings belong to their people (%s)', (_name, engine) => {
  beforeAll(() => engine.setUp());
  afterEach(() => engine.reset());
  afterAll(() => engine.tearDown());

  it('250 joins from one address take 100 seats; other addresses and the organizer still get in', async () => {
    const { live } = await engine.open();
    const flood = await joinMany(live, 250, NAT, false);
    expect(flood).toEqual({ in: 100, problems: ['address-full'] });
    const guest = await live.joinFrom('m', 'Real guest', 'guest', false, { address: OTHER });
    expect(joined(guest).state).toBe('in-meeting');
    const organizer = await live.joinFrom('m', 'Org', 'organizer', false, { address: NAT });
    expect(joined(organizer).state).toBe('in-meeting');
    // The address's share is of the seats it holds now: one leaving lets one more in.
    const first = (await live.roster('m')).find((p) => p.displayName === 'Guest 0') as Participant;
    await live.leave(first);
    expect(joined(await live.joinFrom('m', 'Next', 'guest', false, { address: NAT })).state).toBe('in-meeting');
  }, 60_000);

  it('lets 50 guests behind one NAT in, and another meeting is not affected', async () => {
    const { live } = await engine.open();
    expect(await joinMany(live, 50, NAT, false)).toEqual({ in: 50, problems: [] });
    expect(await joinMany(live, 50, NAT, true, 'lobby-meeting')).toEqual({ in: 50, problems: [] });
  }, 60_000);

  it('one address fills 60 of the 100 lobby places; others still wait; the meeting full says so', async () => {
    const { live } = await engine.open();
    expect(await joinMany(live, 100, NAT, true)).toEqual({ in: 60, problems: ['address-full'] });
    expect(await joinMany(live, 40, OTHER, true)).toEqual({ in: 40, problems: [] });
    const late = await live.joinFrom('m', 'Late', 'guest', true, { address: '192.0.2.1' });
    expect(late).toEqual({ ok: false, problem: 'meeting-full' });
    expect(joined(await live.joinFrom('m', 'Org', 'organizer', true, { address: NAT })).state).toBe('in-meeting');
  }, 60_000);

  it('scales the share with the limits: one address never takes every seat', async () => {
    const { live } = await engine.open({ maxParticipantsPerMeeting: 5, maxLobbyPerMeeting: 2 });
    expect(await joinMany(live, 5, NAT, false)).toEqual({ in: 2, problems: ['address-full'] });
    expect(await joinMany(live, 2, NAT, true)).toEqual({ in: 1, problems: ['address-full'] });
  });

  it('a locked meeting sends every new guest to the lobby; organizers hear it; unlocking lets guests in', async () => {
    const { live, settle } = await engine.open();
    const org = joined(await live.joinFrom('m', 'Org', 'organizer', false, {}));
    const orgStream = recorder();
    await live.connect(org, orgStream.sink, 0);
    expect(orgStream.events[0]?.event).toMatchObject({ type: 'snapshot', locked: false });
    expect(await live.setLocked(org, true)).toBe(true);
    await settle();
    expect(await orgStream.next((e) => e.type === 'locked')).toEqual({ type: 'locked', locked: true });
    const waits = joined(await live.joinFrom('m', 'Waits', 'guest', false, { address: OTHER }));
    expect(waits.state).toBe('lobby');
    // A guest's snapshot does not tell them the meeting is locked.
    const guestStream = recorder();
    await live.connect(waits, guestStream.sink, 0);
    expect(guestStream.events[0]?.event).not.toHaveProperty('locked');
    // An organizer still goes straight in; a reconnecting organizer's snapshot says locked.
    expect(joined(await live.joinFrom('m', 'Org 2', 'organizer', false, {})).state).toBe('in-meeting');
    const again = recorder();
    await live.connect(org, again.sink, 0);
    expect(again.events[0]?.event).toMatchObject({ type: 'snapshot', locked: true });
    expect(await live.setLocked(org, false)).toBe(true);
    await settle();
    expect(await orgStream.next((e) => e.type === 'locked')).toEqual({ type: 'locked', locked: false });
    expect(joined(await live.joinFrom('m', 'Walks in', 'guest', false, {})).state).toBe('in-meeting');
    // A guest waiting in the lobby cannot lock (the route also checks the role).
    expect(await live.setLocked(waits, true)).toBe(false);
  });

  it('admits everyone waiting in join order while seats are free, then denies the rest at once', async () => {
    const { live, settle } = await engine.open({ maxParticipantsPerMeeting: 4 });
    const org = joined(await live.joinFrom('m', 'Org', 'organizer', true, {}));
    const waiting: Participant[] = [];
    const streams = [];
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F']) {
      const guest = joined(await live.joinFrom('m', name, 'guest', true, { address: OTHER }));
      const stream = recorder();
      await live.connect(guest, stream.sink, 0);
      waiting.push(guest);
      streams.push(stream);
    }
    // Four seats, the organizer holds one: A, B and C come in; D, E and F keep waiting.
    expect(await live.decideAll(org, true)).toEqual({ decided: 3, waiting: 3 });
    await settle();
    const states = async () => Promise.all(waiting.map(async (p) => (await live.participant(p.id))?.state));
    expect(await states()).toEqual(['in-meeting', 'in-meeting', 'in-meeting', 'lobby', 'lobby', 'lobby']);
    expect(await streams[0]?.next((e) => e.type === 'admitted')).toMatchObject({ type: 'admitted' });
    expect(await live.decideAll(org, false)).toEqual({ decided: 3, waiting: 0 });
    await settle();
    expect(await states()).toEqual(['in-meeting', 'in-meeting', 'in-meeting', 'gone', 'gone', 'gone']);
    expect(await streams[5]?.next((e) => e.type === 'end')).toEqual({ type: 'end', reason: 'denied' });
    expect(await live.decideAll(org, true)).toEqual({ decided: 0, waiting: 0 });
  });

  it('someone removed reads "removed"; someone whose stream stayed closed reads "disconnected"', async () => {
    const { live, advance } = await engine.open({ disconnectGraceMs: 5000 });
    const org = joined(await live.joinFrom('m', 'Org', 'organizer', false, {}));
    await live.connect(org, recorder().sink, 0);
    const removed = joined(await live.joinFrom('m', 'Removed', 'guest', false, { address: NAT }));
    await live.connect(removed, recorder().sink, 0);
    const silent = joined(await live.joinFrom('m', 'Silent', 'guest', false, { address: OTHER }));
    expect(await live.remove(org, removed.id)).toBe(true);
    await advance(5001);
    expect(await live.participant(removed.id)).toMatchObject({ state: 'gone', endReason: 'removed' });
    expect(await live.participant(silent.id)).toMatchObject({ state: 'gone', endReason: 'disconnected' });
    // A stream opened after the end (a reconnect) replays the final event.
    const late = recorder();
    await live.connect(silent, late.sink, 0);
    expect(late.events.map((e) => e.event)).toEqual([{ type: 'end', reason: 'disconnected' }]);
  });

  it.each<[string, JoinOrigin]>([
    ['the same token', { formerToken: 'TOKEN' }],
    ['the same device', { device: 'device-of-the-removed-1' }],
    ['the same address', { address: NAT }],
  ])('someone removed comes back with %s only through the lobby', async (_what, same) => {
    const { live } = await engine.open();
    const org = joined(await live.joinFrom('m', 'Org', 'organizer', false, { address: NAT }));
    const origin = { address: NAT, device: 'device-of-the-removed-1' };
    const removed = joined(await live.joinFrom('m', 'Mallory', 'guest', false, origin));
    expect(await live.remove(org, removed.id)).toBe(true);
    const fresh = { address: OTHER, device: 'a-device-never-removed' };
    const back = joined(
      await live.joinFrom('m', 'Mallory', 'guest', false, {
        ...fresh,
        ...same,
        ...(same.formerToken && { formerToken: removed.token }),
      }),
    );
    expect(back.state).toBe('lobby');
    // Someone else, from elsewhere, still walks straight in; the organizer decides for the rest.
    expect(joined(await live.joinFrom('m', 'Someone', 'guest', false, fresh)).state).toBe('in-meeting');
    expect(await live.decide(org, back.id, true)).toBe(true);
    expect((await live.participant(back.id))?.state).toBe('in-meeting');
    // A wrong former token matches nobody.
    const guess = await live.joinFrom('m', 'Guess', 'guest', false, {
      address: '192.0.2.99',
      formerToken: 'not-the-token',
    });
    expect(joined(guess).state).toBe('in-meeting');
  });

  it('remembers at most maxRemovedPerMeeting removals, forgetting the oldest first', async () => {
    const { live } = await engine.open({ maxRemovedPerMeeting: 1 });
    const org = joined(await live.joinFrom('m', 'Org', 'organizer', false, {}));
    for (const address of [NAT, OTHER]) {
      const guest = joined(await live.joinFrom('m', 'Removed', 'guest', false, { address }));
      expect(await live.remove(org, guest.id)).toBe(true);
    }
    expect(joined(await live.joinFrom('m', 'First', 'guest', false, { address: NAT })).state).toBe('in-meeting');
    expect(joined(await live.joinFrom('m', 'Second', 'guest', false, { address: OTHER })).state).toBe('lobby');
  });

  it('forgets who was removed when the meeting ends (everyone gone)', async () => {
    const { live } = await engine.open();
    const org = joined(await live.joinFrom('m', 'Org', 'organizer', false, {}));
    const removed = joined(await live.joinFrom('m', 'Mallory', 'guest', false, { address: NAT }));
    await live.remove(org, removed.id);
    await live.leave(org);
    expect(joined(await live.joinFrom('m', 'Mallory', 'guest', false, { address: NAT })).state).toBe('in-meeting');
  });
});

describe('across nodes (PostgreSQL)', () => {
  const engine: PostgresEngine = postgresEngine();
  beforeAll(() => engine.setUp());
  afterEach(() => engine.reset());
  afterAll(() => engine.tearDown());

  it('a guest removed on node A comes back through the lobby on node B; the lock and the shares hold on both', async () => {
    const a = await engine.openNode({ maxParticipantsPerMeeting: 10 }, 'node-a');
    const b = await engine.openNode({ maxParticipantsPerMeeting: 10 }, 'node-b');
    const org = joined(await a.joinFrom('m', 'Org', 'organizer', false, {}));
    const removed = joined(await b.joinFrom('m', 'Mallory', 'guest', false, { device: 'device-of-the-removed-1' }));
    expect(await a.remove(org, removed.id)).toBe(true);
    expect(await b.participant(removed.id)).toMatchObject({ state: 'gone', endReason: 'removed' });
    const back = joined(await b.joinFrom('m', 'Mallory', 'guest', false, { device: 'device-of-the-removed-1' }));
    expect(back.state).toBe('lobby');
    // Four seats per address (0.4 of 10), counted across nodes.
    expect(await joinMany(a, 2, NAT, false)).toEqual({ in: 2, problems: [] });
    expect(await joinMany(b, 3, NAT, false)).toEqual({ in: 2, problems: ['address-full'] });
    const watching = recorder();
    await b.connect(org, watching.sink, 0);
    expect(await a.setLocked(org, true)).toBe(true);
    await b.settle();
    expect(await watching.next((e) => e.type === 'locked')).toEqual({ type: 'locked', locked: true });
    expect(joined(await b.joinFrom('m', 'Waits', 'guest', false, { address: OTHER })).state).toBe('lobby');
    expect(await b.decideAll(org, true)).toEqual({ decided: 2, waiting: 0 });
  });
});
