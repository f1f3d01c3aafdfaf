/**
 * Live meetings on PostgreSQL served by several nodes at once (instances on one database, each with
 * its own name, LISTEN connection and streams): what one node changes reaches streams held by
 * another; a node that dies is taken over by the others after the grace, exactly once; a restart
 * of every node ends nothing. Deliveries are awaited (a sink resolves when its event arrives).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Participant } from '../../src/server/conference/live';
import { PostgresLiveMeetings } from '../../src/server/conference/live-postgres';
import { MediaMesh } from '../../src/server/conference/signal';
import type { StreamEvent } from '../../src/shared/api-schema';
import { chats, postgresEngine, recorder } from '../support/live-engines';

const engine = postgresEngine();
beforeAll(() => engine.setUp());
afterEach(() => engine.reset());
afterAll(() => engine.tearDown());

const GRACE_MS = 60_000;
const HEARTBEAT_MS = 2_000;
const STALE_MS = 5 * HEARTBEAT_MS;

const isChat = (text: string) => (e: StreamEvent) => e.type === 'chat' && e.message.text === text;
const rosterNames = (e: StreamEvent | undefined) =>
  e?.type === 'roster' || e?.type === 'snapshot' ? e.roster.map((r) => r.displayName) : undefined;

/** Moves the shared clock while the living nodes keep heart-beating, as their timers would. */
async function passTime(ms: number, ...alive: PostgresLiveMeetings[]) {
  for (let left = ms; left > 0; left -= HEARTBEAT_MS) {
    engine.clock.now += Math.min(HEARTBEAT_MS, left);
    await Promise.all(alive.map((node) => node.heartbeat()));
  }
}

async function twoNodes(limits = {}) {
  return [await engine.openNode(limits, 'node-a'), await engine.openNode(limits, 'node-b')] as const;
}

const joined = async (node: PostgresLiveMeetings, name: string, role: 'guest' | 'organizer' = 'guest', lobby = false) =>
  (await node.join('m', name, role, lobby)) as Participant;

describe('two nodes, one meeting', () => {
  it('a stream on node A receives chat, roster and lobby changes made through node B', async () => {
    const [a, b] = await twoNodes();
    const org = await joined(a, 'Org', 'organizer', true);
    const orgStream = recorder();
    await a.connect(org, orgStream.sink, 0);
    const ann = await joined(b, 'Ann');
    expect(rosterNames(await orgStream.next((e) => e.type === 'roster'))).toEqual(['Org', 'Ann']);
    await b.chat(ann, 'hello from B', 'client-hello-b');
    expect(await orgStream.next(isChat('hello from B'))).toMatchObject({ message: { fromName: 'Ann' } });
    await b.join('m', 'Waiting', 'guest', true);
    const lobby = await orgStream.next((e) => e.type === 'lobby');
    expect(lobby).toMatchObject({ lobby: [{ displayName: 'Waiting' }] });
    await b.setMuted(ann, true);
    const muted = await orgStream.next((e) => e.type === 'roster');
    expect(muted).toMatchObject({ roster: [{ displayName: 'Org' }, { displayName: 'Ann', muted: true }] });
  });

  it('an organizer on node B admits a lobby guest whose stream is on node A', async () => {
    const [a, b] = await twoNodes();
    const org = await joined(b, 'Org', 'organizer', true);
    const orgStream = recorder();
    await b.connect(org, orgStream.sink, 0);
    const guest = await joined(a, 'Guest', 'guest', true);
    const guestStream = recorder();
    await a.connect(guest, guestStream.sink, 0);
    expect(guestStream.events[0]?.event).toMatchObject({ type: 'snapshot', state: 'lobby' });
    expect(await orgStream.next((e) => e.type === 'lobby')).toMatchObject({ lobby: [{ id: guest.id }] });
    const admitted = guestStream.next((e) => e.type === 'admitted');
    expect(await b.decide(org, guest.id, true)).toBe(true);
    await admitted;
    expect(rosterNames(await guestStream.next((e) => e.type === 'roster'))).toEqual(['Org', 'Guest']);
    expect(await orgStream.next((e) => e.type === 'lobby')).toEqual({ type: 'lobby', lobby: [] });
    expect((await a.participant(guest.id))?.state).toBe('in-meeting');
  });

  it('resumes on the other node after Last-Event-ID: every event once, in order', async () => {
    const [a, b] = await twoNodes();
    const org = await joined(b, 'Org', 'organizer');
    const guest = await joined(a, 'Guest');
    const onA = recorder();
    await a.connect(guest, onA.sink, 0);
    for (const n of [1, 2, 3]) await b.chat(org, `m${n}`, `client-m${n}-0001`);
    await onA.next(isChat('m3'));
    // The stream breaks while more is said; the page comes back through the other node.
    await a.disconnect(guest, onA.sink);
    for (const n of [4, 5]) await b.chat(org, `m${n}`, `client-m${n}-0001`);
    const lastSeen = Math.max(...onA.events.map((e) => e.id ?? 0));
    const onB = recorder();
    const sixth = onB.next(isChat('m6'));
    await b.connect(guest, onB.sink, lastSeen);
    await b.chat(org, 'm6', 'client-m6-0001');
    await sixth;
    expect([...chats(onA), ...chats(onB)]).toEqual(['1:m1', '2:m2', '3:m3', '4:m4', '5:m5', '6:m6']);
  });

  it('replays from the table at the pace the sink pulls, then goes on live without a gap', async () => {
    const [a, b] = await twoNodes({ maxChatPerMinute: 1000 });
    const org = await joined(b, 'Org', 'organizer');
    const guest = await joined(a, 'Guest');
    for (let n = 1; n <= 40; n++) await b.chat(org, `r${n}`, `client-r${n}-0001`);
    const rec = recorder();
    const pulled: number[] = [];
    let finish: () => void = () => {};
    const replayed = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // A sink that replays like the SSE one: one entry after another, each awaited.
    rec.sink.replay = (lastEventId, next, done) => {
      void (async () => {
        let last = lastEventId;
        for (;;) {
          const entry = await next(last);
          if (!entry) break;
          pulled.push(entry.id);
          rec.sink.send(entry.id, entry.event);
          last = entry.id;
          // A chat arrives while the replay is still reading.
          if (entry.id === 20) await b.chat(org, 'during', 'client-during-0001');
        }
        done?.(last);
        finish();
      })();
    };
    await a.connect(guest, rec.sink, 0);
    await replayed;
    await b.chat(org, 'after', 'client-after-0001');
    await rec.next(isChat('after'));
    const ids = rec.events.flatMap((e) => (e.id === undefined ? [] : [e.id]));
    // Said during the replay: read by the replay (it is in the table), not sent again live.
    expect(ids).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    expect(chats(rec).slice(-2)).toEqual(['41:during', '42:after']);
    expect(pulled.length).toBeGreaterThanOrEqual(41);
  });

  it('an organizer on node B removes a guest whose stream is on node A: it ends as "removed" and closes', async () => {
    const [a, b] = await twoNodes();
    const org = await joined(b, 'Org', 'organizer');
    const guest = await joined(a, 'Guest');
    const rec = recorder();
    await a.connect(guest, rec.sink, 0);
    expect(await b.remove(org, guest.id)).toBe(true);
    expect(await rec.next((e) => e.type === 'end')).toEqual({ type: 'end', reason: 'removed' });
    await rec.whenClosed();
    expect((await a.counts()).streams).toBe(0);
  });

  it('stores a send retried through the other node once', async () => {
    const [a, b] = await twoNodes();
    const ann = await joined(a, 'Ann');
    const rec = recorder();
    await a.connect(ann, rec.sink, 0);
    const first = await a.chat(ann, 'hello', 'client-retried-01');
    const again = await b.chat(ann, 'hello', 'client-retried-01');
    expect(first.ok && again.ok && first.message.id === again.message.id).toBe(true);
    await Promise.all([a.settle(), b.settle()]);
    expect(chats(rec)).toEqual(['1:hello']);
  });

  it('counts seats across nodes: joins racing on both nodes never pass the limit', async () => {
    const [a, b] = await twoNodes({ maxParticipantsPerMeeting: 3 });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).join('m', `Guest ${i}`, 'guest', false)),
    );
    expect(answers.filter(Boolean)).toHaveLength(3);
    expect(await a.roster('m')).toHaveLength(3);
  });

  it('closes the oldest stream past the limit even when it is on another node', async () => {
    const [a, b] = await twoNodes({ maxStreamsPerParticipant: 1 });
    const guest = await joined(a, 'Guest');
    const first = recorder();
    await a.connect(guest, first.sink, 0);
    const second = recorder();
    await b.connect(guest, second.sink, 0);
    await first.whenClosed();
    expect(second.closed).toBe(false);
    expect((await a.counts()).streams + (await b.counts()).streams).toBe(1);
  });

  it('delivers what was said while the LISTEN connection was down, once it is back', async () => {
    const [a, b] = await twoNodes();
    const org = await joined(b, 'Org', 'organizer');
    const guest = await joined(a, 'Guest');
    const rec = recorder();
    await a.connect(guest, rec.sink, 0);
    a.dropNotifications();
    await b.chat(org, 'while cut off', 'client-cut-0001');
    await rec.next(isChat('while cut off'));
    await b.chat(org, 'after', 'client-after-0001');
    await rec.next(isChat('after'));
    expect(chats(rec)).toEqual(['1:while cut off', '2:after']);
  });
});

describe('a node that dies', () => {
  it('has its participants dropped after the grace by the surviving nodes, exactly once', async () => {
    const [a, b] = await twoNodes();
    const c = await engine.openNode({}, 'node-c');
    const watcher = await joined(b, 'Watcher');
    const watching = recorder();
    await b.connect(watcher, watching.sink, 0);
    const victim = await joined(a, 'On A');
    const victimStream = recorder();
    await a.connect(victim, victimStream.sink, 0);
    await b.settle();
    expect(rosterNames(watching.events.at(-1)?.event)).toEqual(['Watcher', 'On A']);
    // kill -9: no more heartbeats, no cleanup; its stream row stays behind.
    a.abandon();
    await passTime(STALE_MS + 1, b, c);
    await Promise.all([b.sweep(), c.sweep()]);
    expect((await b.participant(victim.id))?.state).toBe('in-meeting');
    await passTime(GRACE_MS - 1000, b, c);
    await Promise.all([b.sweep(), c.sweep()]);
    expect((await b.participant(victim.id))?.state).toBe('in-meeting');
    const rostersBefore = watching.events.filter((e) => e.event.type === 'roster').length;
    await passTime(2000, b, c);
    await Promise.all([b.sweep(), c.sweep(), b.sweep(), c.sweep()]);
    await Promise.all([b.settle(), c.settle()]);
    expect((await b.participant(victim.id))?.state).toBe('gone');
    const rosters = watching.events.filter((e) => e.event.type === 'roster').slice(rostersBefore);
    expect(rosters.map((e) => rosterNames(e.event))).toEqual([['Watcher']]);
    // Its log ends once, with "disconnected", whichever node asks.
    const late = recorder();
    await c.connect(victim, late.sink, 0);
    expect(late.events.map((e) => e.event)).toEqual([{ type: 'end', reason: 'disconnected' }]);
    // The watcher, whose stream is on a live node, stays.
    expect((await b.participant(watcher.id))?.state).toBe('in-meeting');
  });

  it('keeps a participant who reconnects to another node before the grace ends', async () => {
    const [a, b] = await twoNodes();
    const guest = await joined(a, 'Guest');
    await a.connect(guest, recorder().sink, 0);
    a.abandon();
    await passTime(STALE_MS + 1, b);
    await b.sweep();
    await passTime(GRACE_MS / 2, b);
    const back = recorder();
    await b.connect(guest, back.sink, 0);
    await passTime(GRACE_MS, b);
    await b.sweep();
    expect(back.closed).toBe(false);
    expect((await b.participant(guest.id))?.state).toBe('in-meeting');
  });

  it('starting again under the same name forgets the streams of its previous life', async () => {
    const [a, b] = await twoNodes();
    const guest = await joined(a, 'Guest');
    await a.connect(guest, recorder().sink, 0);
    a.abandon();
    // Restarted at once: no heartbeat went stale, but the old process's stream is gone.
    const a2 = await engine.openNode({}, 'node-a');
    await b.sweep();
    await passTime(GRACE_MS + 1, a2, b);
    await b.sweep();
    expect((await b.participant(guest.id))?.state).toBe('gone');
  });

  it('a node that finds it was silent too long closes its streams (the pages reconnect)', async () => {
    const [a] = await twoNodes();
    const guest = await joined(a, 'Guest');
    const rec = recorder();
    await a.connect(guest, rec.sink, 0);
    engine.clock.now += STALE_MS + 1;
    await a.heartbeat();
    expect(rec.closed).toBe(true);
  });
});

describe('every node restarting', () => {
  it('leaves the meeting live: roster intact, streams resume where they stopped', async () => {
    const [a, b] = await twoNodes();
    const org = await joined(a, 'Org', 'organizer');
    const guest = await joined(b, 'Guest');
    const guestStream = recorder();
    await b.connect(guest, guestStream.sink, 0);
    await a.chat(org, 'before', 'client-before-01');
    await guestStream.next(isChat('before'));
    const lastSeen = Math.max(...guestStream.events.map((e) => e.id ?? 0));
    await a.close();
    await b.close();
    expect(guestStream.closed).toBe(true);
    const [a2, b2] = [await engine.openNode({}, 'node-a'), await engine.openNode({}, 'node-b')];
    expect((await a2.roster('m')).map((p) => p.displayName)).toEqual(['Org', 'Guest']);
    // The page's token still works, on either node.
    const again = (await a2.authenticate(guest.id, guest.token)) as Participant;
    expect(again.state).toBe('in-meeting');
    const orgAgain = (await b2.authenticate(org.id, org.token)) as Participant;
    await b2.chat(orgAgain, 'while reconnecting', 'client-while-01');
    const resumed = recorder();
    await a2.connect(again, resumed.sink, lastSeen);
    expect(rosterNames(resumed.events[0]?.event)).toEqual(['Org', 'Guest']);
    await b2.chat(orgAgain, 'after', 'client-after-01');
    await resumed.next(isChat('after'));
    expect([...chats(guestStream), ...chats(resumed)]).toEqual(['1:before', '2:while reconnecting', '3:after']);
    // The grace started at shutdown is over for whoever did not come back.
    await passTime(GRACE_MS + 1, a2, b2);
    await a2.sweep();
    expect(resumed.closed).toBe(false);
    expect((await a2.roster('m')).map((p) => p.displayName)).toEqual(['Guest']);
  });
});

describe('nodes restarting one after another', () => {
  it('moves each stream to the node still up, with every message once, in order', async () => {
    const [a, b] = await twoNodes();
    const org = await joined(b, 'Org', 'organizer');
    const guest = await joined(a, 'Guest');
    const lastId = (rec: ReturnType<typeof recorder>) => Math.max(0, ...rec.events.map((e) => e.id ?? 0));
    const onA = recorder();
    await a.connect(guest, onA.sink, 0);
    await b.chat(org, 'one', 'client-one-0001');
    await onA.next(isChat('one'));
    // A restarts: its stream closes, the page comes back through B.
    await a.close();
    expect(onA.closed).toBe(true);
    await b.chat(org, 'two', 'client-two-0001');
    const onB = recorder();
    await b.connect(guest, onB.sink, lastId(onA));
    await b.chat(org, 'three', 'client-three-0001');
    await onB.next(isChat('three'));
    const a2 = await engine.openNode({}, 'node-a');
    // Then B restarts: the page comes back through the new A.
    await b.close();
    const orgOnA2 = (await a2.authenticate(org.id, org.token)) as Participant;
    await a2.chat(orgOnA2, 'four', 'client-four-0001');
    const onA2 = recorder();
    await a2.connect(guest, onA2.sink, lastId(onB));
    await a2.chat(orgOnA2, 'five', 'client-five-0001');
    await onA2.next(isChat('five'));
    expect([...chats(onA), ...chats(onB), ...chats(onA2)]).toEqual(['1:one', '2:two', '3:three', '4:four', '5:five']);
    expect((await a2.roster('m')).map((p) => p.displayName)).toEqual(['Org', 'Guest']);
  });
});

describe('media signalling across nodes', () => {
  it('reaches a participant whose stream is on the other node, and never the lobby or another meeting', async () => {
    const [a, b] = await twoNodes();
    const meshA = new MediaMesh(a, () => engine.clock.now);
    const meshB = new MediaMesh(b, () => engine.clock.now);
    const ann = await joined(a, 'Ann', 'organizer', true);
    const ben = await joined(b, 'Ben');
    const waiting = await joined(b, 'Waiting', 'guest', true);
    const elsewhere = (await b.join('other', 'Elsewhere', 'guest', false)) as Participant;
    expect(await meshA.start(ann, true)).toEqual({ mode: 'video', peers: [] });
    expect(await meshB.start(ben, true)).toEqual({ mode: 'video', peers: [ann.id] });
    await meshB.start(elsewhere, true);
    const annStream = recorder();
    await a.connect(ann, annStream.sink, 0);
    const elsewhereStream = recorder();
    const waitingStream = recorder();
    await a.connect(elsewhere, elsewhereStream.sink, 0);
    await a.connect(waiting, waitingStream.sink, 0);
    const offer = { kind: 'offer', sdp: 'v=0\r\n' } as const;
    expect(await meshB.relay(ben, ann.id, offer)).toEqual({ ok: true });
    expect(await annStream.next((e) => e.type === 'signal')).toEqual({ type: 'signal', from: ben.id, signal: offer });
    for (const target of [waiting.id, elsewhere.id]) {
      expect(await meshA.relay(ann, target, offer)).toMatchObject({ ok: false, status: 404, code: 'peer-not-found' });
    }
    expect(await meshB.relay(waiting, ann.id, offer)).toMatchObject({ ok: false, status: 403 });
    // Signals keep their order (an offer before its candidates).
    const candidates = Array.from({ length: 10 }, (_, i) => ({
      kind: 'candidate' as const,
      candidate: `candidate:${i} 1 udp 1 127.0.0.1 9 typ host`,
      sdpMid: '0',
      sdpMLineIndex: 0,
    }));
    for (const candidate of candidates) await meshB.relay(ben, ann.id, candidate);
    await annStream.next(
      (e) => e.type === 'signal' && e.signal.kind === 'candidate' && e.signal.candidate.startsWith('candidate:9'),
    );
    await Promise.all([a.settle(), b.settle()]);
    const received = annStream.events.flatMap((e) => (e.event.type === 'signal' ? [e.event.signal] : []));
    expect(received).toEqual([offer, ...candidates]);
    expect([...elsewhereStream.events, ...waitingStream.events].some((e) => e.event.type === 'signal')).toBe(false);
  });

  it('gives modes across nodes as one mesh: two newcomers at once never both take the last video place', async () => {
    const [a, b] = await twoNodes();
    const people = [];
    for (let i = 0; i < 7; i++) people.push(await joined(i % 2 ? a : b, `P${i}`));
    const modes = await Promise.all(
      people.map((p, i) => new MediaMesh(i % 2 ? a : b, () => engine.clock.now).start(p, true)),
    );
    const video = modes.filter((m) => m.mode === 'video').length;
    expect(video).toBe(6);
    expect(modes.filter((m) => m.mode === 'audio').length).toBe(1);
  });
});

describe('background work on its own timers', () => {
  it('drops a participant with no stream after the grace, with no one calling sweep', async () => {
    const store = engine.store() as Extract<ReturnType<typeof engine.store>, { dialect: 'postgres' }>;
    const open = (nodeName: string) =>
      PostgresLiveMeetings.open(
        store.pool,
        store.url,
        { disconnectGraceMs: 300 },
        { nodeName, heartbeatMs: 50, sweepIntervalMs: 50 },
      );
    const [a, b] = [await open('timed-a'), await open('timed-b')];
    engine.opened.push(a, b);
    const watcher = (await a.join('t', 'Watcher', 'guest', false)) as Participant;
    const watching = recorder();
    await a.connect(watcher, watching.sink, 0);
    await b.join('t', 'Leaves', 'guest', false);
    await watching.next((e) => rosterNames(e)?.length === 2);
    expect(rosterNames(await watching.next((e) => e.type === 'roster'))).toEqual(['Watcher']);
    expect(watching.closed).toBe(false);
  });
});
