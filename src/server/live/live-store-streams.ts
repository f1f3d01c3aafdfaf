/**
 * The event streams one node holds, and what reaches them: the node's side of live-store.ts.
 * Messages (see there) are turned into deliveries, run one at a time per meeting in the order
 * they came; each reads from the tables what its streams have not been sent yet.
 */
import { randomBytes } from 'node:crypto';
import type { Role, StreamEvent } from '../../shared/api-schema';
import type { Sql } from '../sql/sql';
import { entryOf, type LiveLog, type LoggedEvent, type Sink } from './live-model';
import type { Notifier } from './live-notifier';
import { eventsAfter, marks, peopleOf } from './live-store-sql';
import { SerialQueues } from './serial-queue';

/** Replayed events read from the table at a time: small, so an idle stream holds little. */
const REPLAY_PAGE = 16;

/** One event stream held by this node. */
export interface LocalStream {
  id: string;
  participantId: string;
  meetingKey: string;
  role: Role;
  sink: Sink;
  /** The last logged id this stream was sent. */
  sentUpTo: number;
  /** Still catching up from the table (the replay sends; deliveries wait). */
  replaying: boolean;
  /** Registered, or still being opened (its row may not exist yet). */
  registered: boolean;
  /** Closed while being opened: the opening undoes itself. */
  abandoned: boolean;
  /** Replay: events read ahead, not sent yet. */
  page?: LoggedEvent[];
}

export class NodeStreams {
  readonly #pool: Sql;
  readonly #notifier: Notifier;
  readonly #queues: SerialQueues;
  readonly #bySink = new Map<Sink, LocalStream>();
  readonly #byId = new Map<string, LocalStream>();
  readonly #byParticipant = new Map<string, Set<LocalStream>>();
  readonly #byMeeting = new Map<string, Set<LocalStream>>();
  /** Roster/lobby deliveries done per meeting: an opening stream that saw one move reads again. */
  readonly #epochs = new Map<string, number>();
  readonly #markers = new Map<string, () => void>();
  /** The last signal id seen: after a LISTEN reconnect, later ones are read again. */
  lastSignalId = 0;
  #closed = false;

  constructor(
    pool: Sql,
    notifier: Notifier,
    readonly nodeName: string,
    log: LiveLog,
  ) {
    this.#pool = pool;
    this.#notifier = notifier;
    this.#queues = new SerialQueues((error) => log.error({ err: error }, 'live delivery failed'));
  }

  /** A stream being opened: known by its sink, not registered yet. */
  track(stream: LocalStream): void {
    this.#bySink.set(stream.sink, stream);
  }

  forget(sink: Sink): void {
    this.#bySink.delete(sink);
  }

  streamOf(sink: Sink): LocalStream | undefined {
    return this.#bySink.get(sink);
  }

  byId(id: string): LocalStream | undefined {
    return this.#byId.get(id);
  }

  registered(): LocalStream[] {
    return [...this.#bySink.values()].filter((s) => s.registered);
  }

  holdsAny(): boolean {
    return this.#bySink.size > 0;
  }

  epoch(meetingKey: string): number {
    return this.#epochs.get(meetingKey) ?? 0;
  }

  /**
   * Resolves once this node has received every message committed before the call and
   * delivered what they announced: a marker message comes back after them (messages arrive in
   * commit order).
   */
  async settle(): Promise<void> {
    const marker = randomBytes(9).toString('base64url');
    const back = new Promise<void>((resolve) => this.#markers.set(marker, resolve));
    await this.#notifier.send(this.#pool, `z:${marker}`);
    await back;
    await this.#queues.idle();
  }

  /** Deliveries queued here are done. */
  idle(): Promise<void> {
    return this.#queues.idle();
  }

  /** No more deliveries (the node closes). */
  stop(): void {
    this.#closed = true;
  }

  /** Forgets every stream without a word to anyone (a killed node, in tests). */
  abandon(): void {
    this.#closed = true;
    for (const stream of this.#bySink.values()) stream.registered = false;
    this.#bySink.clear();
  }

  onNotification(payload: string): void {
    if (this.#closed) return;
    const kind = payload.slice(0, 2);
    const rest = payload.slice(2);
    switch (kind) {
      case 'e:':
        if (this.#byMeeting.has(rest)) this.queueEvents(rest);
        break;
      case 'r:':
        if (this.#byMeeting.has(rest)) this.queueRoster(rest);
        break;
      case 'l:':
        if (this.#byMeeting.has(rest)) this.queueLobby(rest);
        break;
      case 'x:': {
        const streams = this.#byParticipant.get(rest);
        const first = streams?.values().next().value;
        if (first) this.#queueFinished(first.meetingKey, rest);
        break;
      }
      case 'k:': {
        const stream = this.#byId.get(rest);
        if (stream) this.closeLocal(stream);
        break;
      }
      case 'z:':
        this.#markers.get(rest)?.();
        this.#markers.delete(rest);
        break;
      case 's:': {
        const [id, participantId] = rest.split(':') as [string, string];
        this.lastSignalId = Math.max(this.lastSignalId, Number(id));
        const first = this.#byParticipant.get(participantId)?.values().next().value;
        if (first) {
          this.#queues.push(first.meetingKey, `s:${id}`, async () => {
            const event = await this.#notifier.signalOf(this.#pool, Number(id));
            if (event) this.#sendSignal(participantId, JSON.parse(event) as StreamEvent);
          });
        }
        break;
      }
    }
  }

  /** After (re)connecting: whatever was missed meanwhile is read again. */
  resync(): void {
    for (const meetingKey of this.#byMeeting.keys()) {
      this.queueEvents(meetingKey);
      this.queueRoster(meetingKey);
      this.queueLobby(meetingKey);
    }
    void this.closeOrphans().catch(() => {});
    const ids = [...this.#byParticipant.keys()];
    if (ids.length === 0 || this.lastSignalId === 0) return;
    const after = this.lastSignalId;
    void this.#pool
      .all<{ id: number; participant_id: string; event: string }>(
        `SELECT id, participant_id, event FROM live_signals WHERE id > ? AND participant_id IN (${marks(ids.length)})
         ORDER BY id`,
        [after, ...ids],
      )
      .then((rows) => {
        for (const row of rows) {
          this.lastSignalId = Math.max(this.lastSignalId, Number(row.id));
          this.#sendSignal(row.participant_id, JSON.parse(row.event) as StreamEvent);
        }
      })
      .catch(() => {});
  }

  #sendSignal(participantId: string, event: StreamEvent): void {
    for (const stream of this.#byParticipant.get(participantId) ?? []) stream.sink.send(undefined, event);
  }

  queueEvents(meetingKey: string): void {
    this.#queues.push(meetingKey, 'e', () => this.#deliverEvents(meetingKey));
  }

  queueRoster(meetingKey: string): void {
    this.#queues.push(meetingKey, 'r', async () => {
      const people = await peopleOf(this.#pool, meetingKey);
      this.#bumpEpoch(meetingKey);
      const event: StreamEvent = {
        type: 'roster',
        roster: people.filter((p) => p.state === 'in-meeting').map(entryOf),
      };
      const inMeeting = new Set(people.filter((p) => p.state === 'in-meeting').map((p) => p.id));
      for (const stream of this.#byMeeting.get(meetingKey) ?? []) {
        if (inMeeting.has(stream.participantId)) stream.sink.send(undefined, event);
      }
    });
  }

  queueLobby(meetingKey: string): void {
    this.#queues.push(meetingKey, 'l', async () => {
      const people = await peopleOf(this.#pool, meetingKey);
      this.#bumpEpoch(meetingKey);
      const event: StreamEvent = { type: 'lobby', lobby: people.filter((p) => p.state === 'lobby').map(entryOf) };
      const organizersIn = new Set(
        people.filter((p) => p.state === 'in-meeting' && p.role === 'organizer').map((p) => p.id),
      );
      for (const stream of this.#byMeeting.get(meetingKey) ?? []) {
        if (organizersIn.has(stream.participantId)) stream.sink.send(undefined, event);
      }
    });
  }

  /** Delivers what is left (the final event), then closes the participant's streams here. */
  #queueFinished(meetingKey: string, participantId: string): void {
    this.#queues.push(meetingKey, `x:${participantId}`, async () => {
      await this.#deliverEvents(meetingKey);
      for (const stream of [...(this.#byParticipant.get(participantId) ?? [])]) this.closeLocal(stream);
    });
  }

  /** Delivers what is left, then closes one stream here (its row is gone). */
  #queueClose(stream: LocalStream): void {
    this.#queues.push(stream.meetingKey, `c:${stream.id}`, async () => {
      await this.#deliverEvents(stream.meetingKey);
      if (stream.registered) this.closeLocal(stream);
    });
  }

  #bumpEpoch(meetingKey: string): void {
    this.#epochs.set(meetingKey, (this.#epochs.get(meetingKey) ?? 0) + 1);
  }

  /** Sends each stream of the meeting the logged events after the last it was sent, in order. */
  async #deliverEvents(meetingKey: string): Promise<void> {
    const after = new Map<string, number>();
    for (const stream of this.#byMeeting.get(meetingKey) ?? []) {
      if (stream.replaying) continue;
      const known = after.get(stream.participantId);
      after.set(stream.participantId, known === undefined ? stream.sentUpTo : Math.min(known, stream.sentUpTo));
    }
    if (after.size === 0) return;
    const rows = await this.#pool.all<{ participant_id: string; event_id: number; event: string }>(
      `SELECT participant_id, event_id, event FROM live_events
       WHERE ${[...after.keys()].map(() => '(participant_id = ? AND event_id > ?)').join(' OR ')}
       ORDER BY participant_id, event_id`,
      [...after].flat(),
    );
    for (const row of rows) {
      const event = JSON.parse(row.event) as StreamEvent;
      const eventId = Number(row.event_id);
      for (const stream of this.#byParticipant.get(row.participant_id) ?? []) {
        if (stream.replaying || stream.sentUpTo >= eventId) continue;
        stream.sentUpTo = eventId;
        stream.sink.send(eventId, event);
      }
    }
  }

  /** The next logged event after `afterId` for a replaying stream, read a small page at a time. */
  replayPage(stream: LocalStream, afterId: number): LoggedEvent | undefined | Promise<LoggedEvent | undefined> {
    const page = stream.page;
    while (page && page.length > 0 && (page[0] as LoggedEvent).id <= afterId) page.shift();
    if (page && page.length > 0) return page.shift();
    // Each page after a turn of the event loop: an engine that answers at once (SQLite) would
    // otherwise replay a whole log into a client's socket buffers in one go, and every other
    // request and stream of this node would wait for it.
    return new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => eventsAfter(this.#pool, stream.participantId, afterId, REPLAY_PAGE))
      .then((read) => {
        stream.page = read;
        return read.shift();
      });
  }

  register(stream: LocalStream): void {
    stream.registered = true;
    this.#byId.set(stream.id, stream);
    addTo(this.#byParticipant, stream.participantId, stream);
    addTo(this.#byMeeting, stream.meetingKey, stream);
  }

  unregister(stream: LocalStream): void {
    stream.registered = false;
    this.#bySink.delete(stream.sink);
    this.#byId.delete(stream.id);
    removeFrom(this.#byParticipant, stream.participantId, stream);
    if (removeFrom(this.#byMeeting, stream.meetingKey, stream)) this.#epochs.delete(stream.meetingKey);
  }

  /** Closes a stream whose row is already gone (kicked, or its participant finished). */
  closeLocal(stream: LocalStream): void {
    this.unregister(stream);
    stream.sink.close();
  }

  /** Local streams whose row no longer exists (a notification missed): closed. */
  async closeOrphans(): Promise<void> {
    // Only streams registered before the query: their rows were committed before it was sent.
    const held = [...this.#byId.values()];
    if (held.length === 0) return;
    const rows = await this.#pool.all<{ id: string }>('SELECT id FROM live_streams WHERE node = ?', [this.nodeName]);
    const present = new Set(rows.map((r) => r.id));
    for (const stream of held) if (!present.has(stream.id) && stream.registered) this.#queueClose(stream);
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

/** True when the key's set became empty (and was removed). */
function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): boolean {
  const set = map.get(key);
  if (!set) return false;
  set.delete(value);
  if (set.size > 0) return false;
  map.delete(key);
  return true;
}
