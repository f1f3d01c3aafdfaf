/**
 * Live meetings in the store, on either engine, so that a restart ends nothing and, on a shared
 * PostgreSQL, any node can serve any participant. Tables: sql/pg-schema/live.ts and
 * sql/sqlite-schema/live.ts; statements (one text for both engines): live-store-sql.ts; the
 * streams this node holds and their deliveries: live-store-streams.ts; how nodes hear of each
 * other's changes: live-notifier.ts (PostgreSQL's NOTIFY, or an in-process emitter beside the
 * SQLite file, which one process owns: it is then the one node).
 *
 * - State lives in rows: participants (state, mute, deadlines, media mode), the meeting row,
 *   each participant's numbered event log, chat sends remembered for dedupe, open streams by node.
 * - Every change runs in one transaction that first locks the meeting's row (FOR UPDATE on
 *   PostgreSQL; SQLite serialises its writers anyway): seats,
 *   the lobby and open streams are counted under it, so limits hold across nodes, and a
 *   participant's event ids are allocated under it (next_event_id), so a participant's events
 *   commit in id order: a reader that sees id n has every id below it. One lock per meeting, taken
 *   first, means no two transactions ever wait on each other in opposite orders (no deadlock).
 * - Every change is published at commit, with ids only (NOTIFY on one channel on PostgreSQL):
 *     e:<meeting>  new logged events for people of that meeting
 *     r:<meeting>  roster changed      l:<meeting>  lobby changed
 *     x:<participant> gone (deliver what is left, then close its streams)
 *     k:<stream>   close this stream (past maxStreamsPerParticipant)
 *     s:<signal>:<participant>  a media signal waits in live_signals
 *     z:<marker>   nothing: `settle()` waits for its own marker to come back
 *   Each node hears them (PostgreSQL: LISTEN on a dedicated connection) and delivers to the streams it holds by reading
 *   the rows after what each stream was already sent (`sentUpTo`): a notification coalesced with
 *   another, or lost while the LISTEN connection was down (it re-reads everything on reconnect),
 *   loses nothing, and nothing is sent twice. Roster and lobby are state: the latest is read.
 *   Deliveries of one meeting run one at a time on a node, in notification order.
 * - Timers are deadlines in rows (grace, lobby, tombstone), swept by every live node each
 *   `sweepIntervalMs`: the sweep finds what is due, then finishes each under the meeting lock,
 *   checking again that it is still due, so exactly one node finishes a participant (one "left",
 *   one final event) however many sweep at once.
 * - Streams are rows with the node holding them; each node heart-beats. A node whose heartbeat is
 *   older than `staleAfterMs` holds no streams (killed, or cut off): the sweep deletes its stream
 *   rows and its participants' grace starts. A node that finds it was stale itself closes its
 *   streams (the pages reconnect and count again). A node starting under the same name deletes
 *   the streams of its previous life: on SQLite, the server restarting under the same NODE_NAME
 *   (host name and port by default), so its pages' grace starts and they resume by reconnecting.
 * - Media signalling (deliver) is not logged: the notifier keeps it (PostgreSQL: a row in
 *   live_signals; SQLite: the process's memory, no write to the file) and sends `s:` with its id;
 *   the node holding the target's streams reads it and sends it. A signal sent while the target has no
 *   open stream (reconnecting) reaches nobody, as in one process: the page starts its media again
 *   when its stream is back (callResumed), so the negotiation is redone rather than replayed.
 *   Signals are forgotten after `signalTtlMs`.
 * - Not shared: the chat and signal rate limits (per node, so a sender spreading requests over N
 *   nodes gets up to N times the rate; each node still bounds it) and the per-address stream
 *   count (routes). Seats, the lobby, each address's share of them and streams per participant
 *   are counted across nodes, under the meeting lock; so are the meeting's lock and who the
 *   organizer removed (live_removed, gone with the meeting's row).
 * - Clocks: deadlines are the nodes' own milliseconds, compared across nodes: keep them in sync.
 */
import { randomBytes } from 'node:crypto';
import type { ChatMessage, EndReason, Role, StreamEvent } from '../../shared/api-schema';
import type { MediaMode } from '../../shared/media-schema';
import { sameSecret } from '../secrets/same-secret';
import type { Sql } from '../sql/sql';
import { type ChatLimiter, createChatLimiter } from './chat-limit';
import {
  addressShare,
  type ChatResult,
  DEFAULT_LIMITS,
  entryOf,
  type JoinOrigin,
  type JoinOutcome,
  type Live,
  type LiveCounts,
  type LiveLimits,
  type LiveLog,
  type LobbyBatch,
  type LoggedEvent,
  type MediaPeer,
  type Participant,
  type ParticipantState,
  SILENT_LOG,
  type Sink,
} from './live-model';
import type { Notifier, Subscription } from './live-notifier';
import {
  countIn,
  eventsAfter,
  groupByMeeting,
  inTransaction,
  lockMeeting,
  type MeetingRow,
  marks,
  mediaPeersOf,
  PARTICIPANT_COLUMNS,
  type ParticipantRow,
  participantOf,
  participantRow,
  peopleOf,
  recordFor,
  removedMarks,
  type Tx,
} from './live-store-sql';
import { type LocalStream, NodeStreams } from './live-store-streams';
import { isRemoved, removedMark, tokenHash } from './removed-marks';

/** The most logged events one read sends at once. */
const ALL_EVENTS = 1_000_000_000;

export interface StoreLiveOptions {
  /** NODE_NAME: unique per running node (host name and port by default). */
  nodeName: string;
  log?: LiveLog;
  now?: () => number;
  /** How often this node says it is alive (default 2 s). */
  heartbeatMs?: number;
  /** A node silent this long holds no streams (default 5 heartbeats). */
  staleAfterMs?: number;
  /** How often deadlines are swept (default 1 s). */
  sweepIntervalMs?: number;
  /** How long an undelivered signal row is kept (default 30 s). */
  signalTtlMs?: number;
  /** Called once `close()` has finished (the engine closes the connection it opened for this). */
  onClose?: () => void;
  /** false: no heartbeat or sweep timers; the caller calls heartbeat() and sweep() (tests). */
  timers?: boolean;
}

const newId = (bytes: number) => randomBytes(bytes).toString('base64url');

type Opened = { gone: true; log: LoggedEvent[] } | { gone: false; snapshot: StreamEvent; kickedHere: LocalStream[] };

export class StoreLiveMeetings implements Live {
  readonly limits: LiveLimits;
  readonly nodeName: string;
  readonly #pool: Sql;
  readonly #notifier: Notifier;
  readonly #log: LiveLog;
  readonly #now: () => number;
  readonly #heartbeatMs: number;
  readonly #staleAfterMs: number;
  readonly #signalTtlMs: number;
  /** The streams this node holds, and their deliveries. */
  readonly #streams: NodeStreams;
  readonly #limiters = new Map<string, { limiter: ChatLimiter; usedAt: number }>();
  #listener: Subscription | undefined;
  #timers: ReturnType<typeof setInterval>[] = [];
  #lastBeatAt = 0;
  /** Streams being opened (their transaction is running). */
  readonly #opening = new Set<Promise<Opened>>();
  #closed = false;
  readonly #onClose: (() => void) | undefined;

  private constructor(pool: Sql, notifier: Notifier, limits: Partial<LiveLimits>, options: StoreLiveOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.nodeName = options.nodeName;
    this.#pool = pool;
    this.#notifier = notifier;
    this.#log = options.log ?? SILENT_LOG;
    this.#now = options.now ?? Date.now;
    this.#heartbeatMs = options.heartbeatMs ?? 2_000;
    this.#staleAfterMs = options.staleAfterMs ?? 5 * this.#heartbeatMs;
    this.#signalTtlMs = options.signalTtlMs ?? 30_000;
    this.#onClose = options.onClose;
    this.#streams = new NodeStreams(pool, notifier, this.nodeName, this.#log);
  }

  /** Joins the pool of nodes: registers this node (clearing its previous life's streams) and listens. */
  static async open(
    pool: Sql,
    notifier: Notifier,
    limits: Partial<LiveLimits>,
    options: StoreLiveOptions,
  ): Promise<StoreLiveMeetings> {
    const live = new StoreLiveMeetings(pool, notifier, limits, options);
    const now = live.#now();
    await inTransaction(pool, notifier, async ({ c }) => {
      await c.run(
        `INSERT INTO live_nodes (name, heartbeat_at, started_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, started_at = excluded.started_at`,
        [live.nodeName, now, now],
      );
      // Streams this node held before it died or restarted are gone with that process.
      await c.run('DELETE FROM live_streams WHERE node = ?', [live.nodeName]);
      const row = await c.get<{ last: number }>('SELECT COALESCE(max(id), 0) AS last FROM live_signals');
      live.#streams.lastSignalId = Number(row?.last ?? 0);
    });
    live.#lastBeatAt = now;
    live.#listener = notifier.subscribe(
      (payload) => live.#streams.onNotification(payload),
      () => live.#streams.resync(),
      live.#log,
    );
    try {
      await live.#listener.ready;
    } catch (error) {
      await live.#listener.close();
      throw error;
    }
    if (options.timers !== false) {
      const every = (ms: number, work: () => Promise<void>, what: string) => {
        // A run still going (a slow or unreachable database) is not joined by another.
        let running = false;
        const timer = setInterval(() => {
          if (running) return;
          running = true;
          work()
            .catch((error) => live.#log.warn({ err: (error as Error).message }, what))
            .finally(() => {
              running = false;
            });
        }, ms);
        timer.unref();
        live.#timers.push(timer);
      };
      every(live.#heartbeatMs, () => live.heartbeat(), 'live heartbeat failed');
      every(options.sweepIntervalMs ?? 1_000, () => live.sweep(), 'live sweep failed');
    }
    return live;
  }

  // ---- participants ----------------------------------------------------------------------

  async join(meetingKey: string, displayName: string, role: Role, lobby: boolean): Promise<Participant | undefined> {
    const joined = await this.joinFrom(meetingKey, displayName, role, lobby, {});
    return joined.ok ? joined.participant : undefined;
  }

  async joinFrom(
    meetingKey: string,
    displayName: string,
    role: Role,
    lobby: boolean,
    origin: JoinOrigin,
  ): Promise<JoinOutcome> {
    const guest = role !== 'organizer';
    const now = this.#now();
    return inTransaction(this.#pool, this.#notifier, async (tx): Promise<JoinOutcome> => {
      const { c } = tx;
      // A meeting row deleted under us (its last participant left) is made again.
      let meeting: MeetingRow | undefined;
      for (;;) {
        await c.run(
          'INSERT INTO live_meetings (meeting_key, thread_id, started_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
          [meetingKey, `19:meeting_${newId(18)}@thread.v2`, now],
        );
        meeting = await lockMeeting(c, meetingKey);
        if (meeting) break;
      }
      const waits = guest && (lobby || meeting.locked || isRemoved(await removedMarks(c, meetingKey), origin));
      if (guest) {
        const state: ParticipantState = waits ? 'lobby' : 'in-meeting';
        const total = waits ? this.limits.maxLobbyPerMeeting : this.limits.maxParticipantsPerMeeting;
        if ((await countIn(c, meetingKey, state)) >= total) return { ok: false, problem: 'meeting-full' };
        const share = addressShare(total, waits ? this.limits.lobbySharePerAddress : this.limits.seatSharePerAddress);
        if (origin.address !== undefined && (await countIn(c, meetingKey, state, origin.address)) >= share) {
          return { ok: false, problem: 'address-full' };
        }
      }
      const row: ParticipantRow = {
        id: newId(9),
        token: newId(24),
        display_name: displayName,
        role,
        state: waits ? 'lobby' : 'in-meeting',
        meeting_key: meetingKey,
        muted: false,
        joined_at: now,
        end_reason: null,
      };
      await c.run(
        `INSERT INTO live_participants
           (id, token, meeting_key, display_name, role, state, joined_at, grace_deadline, lobby_deadline, address, device)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          row.id,
          row.token,
          meetingKey,
          displayName,
          role,
          row.state,
          now,
          // Until its event stream opens, a participant (lobby guests too) counts as disconnected.
          now + this.limits.disconnectGraceMs,
          waits ? now + this.limits.lobbyTimeoutMs : null,
          origin.address ?? null,
          origin.device ?? null,
        ],
      );
      tx.notify(`${waits ? 'l' : 'r'}:${meetingKey}`);
      return { ok: true, participant: participantOf(row) };
    });
  }

  async threadIdOf(participant: Participant): Promise<string> {
    const row = await this.#pool.get<{ thread_id: string }>(
      'SELECT thread_id FROM live_meetings WHERE meeting_key = ?',
      [participant.meetingKey],
    );
    return row?.thread_id ?? '';
  }

  async authenticate(id: string, token: string): Promise<Participant | undefined> {
    const participant = await this.participant(id);
    return participant && sameSecret(token, participant.token) ? participant : undefined;
  }

  async participant(id: string): Promise<Participant | undefined> {
    const row = await participantRow(this.#pool, id);
    return row && participantOf(row);
  }

  async remove(organizer: Participant, participantId: string): Promise<boolean> {
    if (participantId === organizer.id) return false;
    return this.#inMeeting(organizer.meetingKey, async (tx) => {
      const target = await tx.c.get<ParticipantRow & { address: string | null; device: string | null }>(
        `SELECT ${PARTICIPANT_COLUMNS}, address, device FROM live_participants WHERE id = ?`,
        [participantId],
      );
      if (!target || target.state === 'gone' || target.meeting_key !== organizer.meetingKey) return false;
      const mark = removedMark(
        { address: target.address ?? undefined, device: target.device ?? undefined },
        target.token,
      );
      await tx.c.run('INSERT INTO live_removed (meeting_key, address, device, token_hash) VALUES (?, ?, ?, ?)', [
        organizer.meetingKey,
        mark.address ?? null,
        mark.device ?? null,
        mark.tokenHash ?? tokenHash(target.token),
      ]);
      // Oldest forgotten first, past the bound (an organizer removing in a loop cannot grow it forever).
      await tx.c.run(
        `DELETE FROM live_removed WHERE meeting_key = ? AND seq <= (
           SELECT seq FROM live_removed WHERE meeting_key = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
        [organizer.meetingKey, organizer.meetingKey, this.limits.maxRemovedPerMeeting],
      );
      await this.#finish(tx, organizer.meetingKey, [target], 'removed');
      return true;
    });
  }

  async chat(participant: Participant, text: string, clientMessageId: string): Promise<ChatResult> {
    const sent = await this.#inMeeting(participant.meetingKey, async (tx, locked) => {
      const { c } = tx;
      const again = await c.get<{ message: string }>(
        'SELECT message FROM live_chat_sends WHERE participant_id = ? AND client_message_id = ?',
        [participant.id, clientMessageId],
      );
      if (again) return { ok: true, message: JSON.parse(again.message) as ChatMessage } as const;
      if (!this.#limiterOf(participant.id).take()) return { ok: false, problem: 'chat-rate-limited' } as const;
      const message: ChatMessage = {
        id: newId(12),
        clientMessageId,
        fromId: participant.id,
        fromName: participant.displayName,
        text,
        sentAt: this.#now(),
      };
      await c.run('INSERT INTO live_chat_sends (participant_id, client_message_id, message) VALUES (?, ?, ?)', [
        participant.id,
        clientMessageId,
        JSON.stringify(message),
      ]);
      await c.run(
        `DELETE FROM live_chat_sends WHERE participant_id = ? AND seq <= (
           SELECT seq FROM live_chat_sends WHERE participant_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
        [participant.id, participant.id, this.limits.maxRememberedSends],
      );
      if (locked) {
        await this.#record(
          tx,
          "meeting_key = ? AND state = 'in-meeting'",
          [participant.meetingKey],
          { type: 'chat', message },
          participant.meetingKey,
        );
      }
      return { ok: true, message } as const;
    });
    return sent;
  }

  async setMuted(participant: Participant, muted: boolean): Promise<void> {
    await this.#inMeeting(participant.meetingKey, async (tx) => {
      await tx.c.run('UPDATE live_participants SET muted = ? WHERE id = ?', [muted, participant.id]);
      tx.notify(`r:${participant.meetingKey}`);
    });
  }

  async decide(organizer: Participant, guestId: string, admit: boolean): Promise<boolean | 'full'> {
    return this.#inMeeting(organizer.meetingKey, async (tx, locked) => {
      const guest = await participantRow(tx.c, guestId);
      if (guest?.state !== 'lobby' || guest.meeting_key !== organizer.meetingKey || !locked) return false;
      if (!admit) {
        await this.#finish(tx, guest.meeting_key, [guest], 'denied');
        return true;
      }
      if ((await countIn(tx.c, guest.meeting_key, 'in-meeting')) >= this.limits.maxParticipantsPerMeeting) {
        return 'full';
      }
      await tx.c.run("UPDATE live_participants SET state = 'in-meeting', lobby_deadline = NULL WHERE id = ?", [
        guestId,
      ]);
      await this.#record(
        tx,
        'id = ?',
        [guestId],
        { type: 'admitted', elapsedMs: this.#now() - locked.started_at },
        guest.meeting_key,
      );
      tx.notify(`r:${guest.meeting_key}`);
      tx.notify(`l:${guest.meeting_key}`);
      return true;
    });
  }

  async setLocked(organizer: Participant, locked: boolean): Promise<boolean> {
    return this.#inMeeting(organizer.meetingKey, async (tx, meeting) => {
      const me = await participantRow(tx.c, organizer.id);
      if (!meeting || me?.state !== 'in-meeting') return false;
      if (meeting.locked === locked) return true;
      await tx.c.run('UPDATE live_meetings SET locked = ? WHERE meeting_key = ?', [locked, organizer.meetingKey]);
      await this.#record(
        tx,
        "meeting_key = ? AND state = 'in-meeting' AND role = 'organizer'",
        [organizer.meetingKey],
        { type: 'locked', locked },
        organizer.meetingKey,
      );
      return true;
    });
  }

  async decideAll(organizer: Participant, admit: boolean): Promise<LobbyBatch> {
    return this.#inMeeting(organizer.meetingKey, async (tx, meeting) => {
      const { c } = tx;
      const waiting = (await peopleOf(c, organizer.meetingKey)).filter((p) => p.state === 'lobby');
      if (!meeting || waiting.length === 0) return { decided: 0, waiting: waiting.length };
      if (!admit) {
        await this.#finish(tx, organizer.meetingKey, waiting, 'denied');
        return { decided: waiting.length, waiting: 0 };
      }
      const free = this.limits.maxParticipantsPerMeeting - (await countIn(c, organizer.meetingKey, 'in-meeting'));
      const admitted = waiting.slice(0, Math.max(0, free)).map((p) => p.id);
      if (admitted.length > 0) {
        await c.run(
          `UPDATE live_participants SET state = 'in-meeting', lobby_deadline = NULL WHERE id IN (${marks(admitted.length)})`,
          admitted,
        );
        await this.#record(
          tx,
          `id IN (${marks(admitted.length)})`,
          admitted,
          { type: 'admitted', elapsedMs: this.#now() - meeting.started_at },
          organizer.meetingKey,
        );
        tx.notify(`r:${organizer.meetingKey}`);
        tx.notify(`l:${organizer.meetingKey}`);
      }
      return { decided: admitted.length, waiting: waiting.length - admitted.length };
    });
  }

  async leave(participant: Participant): Promise<void> {
    await this.#inMeeting(participant.meetingKey, async (tx) => {
      const row = await participantRow(tx.c, participant.id);
      if (row && row.state !== 'gone') await this.#finish(tx, participant.meetingKey, [row], undefined);
    });
  }

  async end(organizer: Participant): Promise<void> {
    await this.endMeeting(organizer.meetingKey);
  }

  async endMeeting(meetingKey: string): Promise<void> {
    await this.#inMeeting(meetingKey, async (tx) => {
      const rows = await tx.c.all<{ id: string; state: ParticipantState }>(
        "SELECT id, state FROM live_participants WHERE meeting_key = ? AND state <> 'gone'",
        [meetingKey],
      );
      if (rows.length > 0) await this.#finish(tx, meetingKey, rows, 'ended');
    });
  }

  async roster(meetingKey: string): Promise<Participant[]> {
    return peopleOf(this.#pool, meetingKey);
  }

  async meetingKeys(): Promise<string[]> {
    const rows = await this.#pool.all<{ meeting_key: string }>('SELECT meeting_key FROM live_meetings');
    return rows.map((r) => r.meeting_key);
  }

  async counts(): Promise<LiveCounts> {
    const row = (await this.#pool.get<{ meetings: number; in_meeting: number | null; in_lobby: number | null }>(
      `SELECT (SELECT count(*) FROM live_meetings) AS meetings,
              sum(CASE WHEN state = 'in-meeting' THEN 1 ELSE 0 END) AS in_meeting,
              sum(CASE WHEN state = 'lobby' THEN 1 ELSE 0 END) AS in_lobby
       FROM live_participants WHERE state <> 'gone'`,
    )) ?? { meetings: 0, in_meeting: 0, in_lobby: 0 };
    const streams = this.#streams.registered().length;
    return {
      meetings: Number(row.meetings),
      inMeeting: Number(row.in_meeting ?? 0),
      inLobby: Number(row.in_lobby ?? 0),
      streams,
    };
  }

  // ---- streams ---------------------------------------------------------------------------

  async connect(participant: Participant, sink: Sink, lastEventId: number): Promise<void> {
    const stream: LocalStream = {
      id: newId(12),
      participantId: participant.id,
      meetingKey: participant.meetingKey,
      role: participant.role,
      sink,
      sentUpTo: lastEventId,
      replaying: true,
      registered: false,
      abandoned: false,
    };
    // Known before the transaction, so a sink closed meanwhile is noticed (disconnect marks it).
    this.#streams.track(stream);
    const epoch = this.#streams.epoch(participant.meetingKey);
    let opened: Opened;
    const opening = this.#openStream(stream, lastEventId);
    this.#opening.add(opening);
    try {
      opened = await opening;
    } catch (error) {
      this.#streams.forget(sink);
      sink.close();
      throw error;
    } finally {
      this.#opening.delete(opening);
    }
    if (opened.gone) {
      this.#streams.forget(sink);
      for (const entry of opened.log) sink.send(entry.id, entry.event);
      sink.close();
      return;
    }
    if (stream.abandoned) {
      // The client went away while the stream was being opened: undo it.
      this.#streams.forget(sink);
      await this.#dropStreamRows(participant.meetingKey, [stream.id]);
      return;
    }
    sink.send(undefined, opened.snapshot);
    this.#streams.register(stream);
    for (const kicked of opened.kickedHere) this.#streams.closeLocal(kicked);
    if (this.#streams.epoch(participant.meetingKey) !== epoch) {
      // A roster or lobby change went by while this stream was opening: send the latest.
      this.#streams.queueRoster(participant.meetingKey);
      this.#streams.queueLobby(participant.meetingKey);
    }
    const finished = (lastId: number) => {
      stream.sentUpTo = Math.max(stream.sentUpTo, lastId);
      stream.replaying = false;
      // Anything logged after the replay's last read goes out with the next delivery.
      this.#streams.queueEvents(participant.meetingKey);
    };
    if (sink.replay) {
      sink.replay(lastEventId, (afterId) => this.#streams.replayPage(stream, afterId), finished);
    } else {
      let last = lastEventId;
      for (const entry of await eventsAfter(this.#pool, participant.id, lastEventId, ALL_EVENTS)) {
        sink.send(entry.id, entry.event);
        last = entry.id;
      }
      finished(last);
    }
  }

  /**
   * The stream's row, its snapshot, and the streams it pushes past the limit (closed here when
   * this node holds them, told to their node otherwise).
   */
  async #openStream(stream: LocalStream, lastEventId: number): Promise<Opened> {
    return this.#inMeeting(stream.meetingKey, async (tx, locked) => {
      const { c } = tx;
      const me = await participantRow(c, stream.participantId);
      if (!me || me.state === 'gone' || !locked) {
        return { gone: true, log: await eventsAfter(c, stream.participantId, lastEventId, 1000) } as const;
      }
      const now = this.#now();
      await c.run('INSERT INTO live_streams (id, participant_id, node) VALUES (?, ?, ?)', [
        stream.id,
        stream.participantId,
        this.nodeName,
      ]);
      await c.run('UPDATE live_participants SET grace_deadline = NULL WHERE id = ?', [stream.participantId]);
      // Oldest first; streams on nodes that stopped heart-beating are not open any more.
      const rows = await c.all<{ id: string; node: string; fresh: boolean | number }>(
        `SELECT s.id, s.node, COALESCE(n.heartbeat_at >= ?, false) AS fresh
         FROM live_streams s LEFT JOIN live_nodes n ON n.name = s.node
         WHERE s.participant_id = ? ORDER BY s.seq`,
        [now - this.#staleAfterMs, stream.participantId],
      );
      const open = rows.filter((r) => Boolean(r.fresh));
      const excess = open.slice(0, Math.max(0, open.length - this.limits.maxStreamsPerParticipant));
      const drop = [...rows.filter((r) => !r.fresh), ...excess];
      if (drop.length > 0) {
        await c.run(
          `DELETE FROM live_streams WHERE id IN (${marks(drop.length)})`,
          drop.map((r) => r.id),
        );
      }
      const kickedHere: LocalStream[] = [];
      for (const r of excess) {
        const local = this.#streams.byId(r.id);
        if (local) kickedHere.push(local);
        else tx.notify(`k:${r.id}`);
      }
      const people = await peopleOf(c, stream.meetingKey);
      const inMeeting = me.state === 'in-meeting';
      const snapshot: StreamEvent = {
        type: 'snapshot',
        state: inMeeting ? 'in-meeting' : 'lobby',
        you: entryOf(participantOf(me)),
        roster: inMeeting ? people.filter((p) => p.state === 'in-meeting').map(entryOf) : [],
        lobby: inMeeting && me.role === 'organizer' ? people.filter((p) => p.state === 'lobby').map(entryOf) : [],
        elapsedMs: now - locked.started_at,
        ...(inMeeting && me.role === 'organizer' && { locked: locked.locked }),
      };
      return { gone: false, snapshot, kickedHere } as const;
    });
  }

  async disconnect(_participant: Participant, sink: Sink): Promise<void> {
    const stream = this.#streams.streamOf(sink);
    if (!stream) return;
    if (!stream.registered) {
      stream.abandoned = true;
      return;
    }
    this.#streams.unregister(stream);
    await this.#dropStreamRows(stream.meetingKey, [stream.id]);
  }

  async closeAllStreams(): Promise<void> {
    // Streams still opening finish opening first (they send their snapshot), then close too.
    await Promise.allSettled([...this.#opening]);
    const streams = this.#streams.registered();
    const byMeeting = new Map<string, string[]>();
    for (const s of streams) {
      this.#streams.unregister(s);
      byMeeting.set(s.meetingKey, [...(byMeeting.get(s.meetingKey) ?? []), s.id]);
    }
    for (const s of streams) s.sink.close();
    for (const [meetingKey, ids] of byMeeting) {
      await this.#dropStreamRows(meetingKey, ids).catch((error) =>
        this.#log.warn({ err: (error as Error).message }, 'live: could not record closed streams'),
      );
    }
  }

  // ---- media -----------------------------------------------------------------------------

  async startMedia(
    participant: Participant,
    choose: (others: MediaPeer[]) => MediaMode,
  ): Promise<{ mode: MediaMode; others: MediaPeer[] }> {
    return this.#inMeeting(participant.meetingKey, async ({ c }) => {
      const peers = await mediaPeersOf(c, participant.meetingKey);
      const me = peers.find((p) => p.id === participant.id);
      const others = peers.filter((p) => p.id !== participant.id);
      if (!me) return { mode: 'none' as MediaMode, others };
      if (me.mode) return { mode: me.mode, others };
      const mode = choose(others);
      await c.run('UPDATE live_participants SET media_mode = ? WHERE id = ?', [mode, participant.id]);
      return { mode, others };
    });
  }

  async mediaPeers(meetingKey: string): Promise<MediaPeer[]> {
    return mediaPeersOf(this.#pool, meetingKey);
  }

  async deliver(participantId: string, event: StreamEvent): Promise<void> {
    await this.#notifier.signal(this.#pool, participantId, JSON.stringify(event), this.#now(), this.#signalTtlMs);
  }

  // ---- background ------------------------------------------------------------------------

  /** Says this node is alive. A node that finds it was silent too long closes its streams. */
  async heartbeat(): Promise<void> {
    const now = this.#now();
    const wasStale = now - this.#lastBeatAt > this.#staleAfterMs;
    await this.#pool.transaction((c) =>
      c.run(
        `INSERT INTO live_nodes (name, heartbeat_at, started_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
        [this.nodeName, now, now],
      ),
    );
    this.#lastBeatAt = now;
    if (wasStale && this.#streams.holdsAny()) {
      // Other nodes may have counted these streams as closed (and started their grace): the pages
      // reconnect and are counted again.
      this.#log.warn({ node: this.nodeName }, 'live: this node was silent too long; its streams reconnect');
      await this.closeAllStreams();
    }
  }

  /** Finishes what is due (grace, lobby timeout), forgets tombstones and old signals. */
  async sweep(): Promise<void> {
    // First say this node is alive, so that its own streams are not taken for a dead node's.
    await this.heartbeat();
    const now = this.#now();
    const pool = this.#pool;
    // Streams of nodes that stopped heart-beating are not open any more.
    await pool.transaction((c) =>
      c.run(
        `DELETE FROM live_streams WHERE NOT EXISTS (
           SELECT 1 FROM live_nodes n WHERE n.name = live_streams.node AND n.heartbeat_at >= ?)`,
        [now - this.#staleAfterMs],
      ),
    );
    // Whoever has no open stream left and no grace running starts it now (under the meeting lock,
    // so a stream opening on another node at this moment is seen).
    const unwatched = await pool.all<{ id: string; meeting_key: string }>(
      `SELECT id, meeting_key FROM live_participants p WHERE state <> 'gone' AND grace_deadline IS NULL
       AND NOT EXISTS (SELECT 1 FROM live_streams s WHERE s.participant_id = p.id)`,
    );
    for (const [meetingKey, ids] of groupByMeeting(unwatched)) {
      await this.#inMeeting(meetingKey, async ({ c }) => {
        await c.run(
          `UPDATE live_participants SET grace_deadline = ? WHERE id IN (${marks(ids.length)}) AND state <> 'gone'
           AND grace_deadline IS NULL
           AND NOT EXISTS (SELECT 1 FROM live_streams s WHERE s.participant_id = live_participants.id)`,
          [now + this.limits.disconnectGraceMs, ...ids],
        );
      });
    }
    const dueSql = `state <> 'gone' AND (grace_deadline <= ? OR (state = 'lobby' AND lobby_deadline <= ?))`;
    const due = await pool.all<{ id: string; meeting_key: string }>(
      `SELECT id, meeting_key FROM live_participants WHERE ${dueSql}`,
      [now, now],
    );
    for (const [meetingKey, ids] of groupByMeeting(due)) {
      await this.#inMeeting(meetingKey, async (tx) => {
        // Again under the lock: another node may have finished them, or a stream opened.
        const rows = await tx.c.all<{ id: string; state: ParticipantState; timed_out: boolean | number }>(
          `SELECT id, state, (state = 'lobby' AND lobby_deadline <= ?
                              AND (grace_deadline IS NULL OR lobby_deadline <= grace_deadline)) AS timed_out
           FROM live_participants WHERE id IN (${marks(ids.length)}) AND ${dueSql} ORDER BY seq`,
          [now, ...ids, now, now],
        );
        const timedOut = rows.filter((r) => Boolean(r.timed_out));
        const graceOver = rows.filter((r) => !r.timed_out);
        if (timedOut.length > 0) await this.#finish(tx, meetingKey, timedOut, 'lobby-timeout');
        if (graceOver.length > 0) await this.#finish(tx, meetingKey, graceOver, 'disconnected');
      });
    }
    await pool.transaction(async (c) => {
      await c.run("DELETE FROM live_participants WHERE state = 'gone' AND purge_at <= ?", [now]);
      await c.run('DELETE FROM live_signals WHERE created_at < ?', [now - this.#signalTtlMs]);
    });
    for (const [id, entry] of this.#limiters) if (entry.usedAt < now - 60_000) this.#limiters.delete(id);
    await this.#streams.closeOrphans();
  }

  /** Resolves once what was committed before the call has reached this node's streams (tests, probe). */
  settle(): Promise<void> {
    return this.#streams.settle();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.closeAllStreams();
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#streams.stop();
    await this.#listener?.close();
    await this.#streams.idle();
    this.#onClose?.();
  }

  /**
   * What kill -9 leaves behind: timers and the notifications stop, nothing is written, stream
   * rows stay. For tests of another node taking over, or of a restart.
   */
  abandon(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#listener?.drop(false);
    this.#streams.abandon();
  }

  /** Cuts the notifications as a network fault would; they come back and it reads again (tests). */
  dropNotifications(): void {
    this.#listener?.drop(true);
  }

  /** Deletes closed streams' rows; a participant left with none on a live node starts the grace. */
  async #dropStreamRows(meetingKey: string, ids: string[]): Promise<void> {
    const now = this.#now();
    await this.#inMeeting(meetingKey, async ({ c }) => {
      const rows = await c.all<{ participant_id: string }>(
        `DELETE FROM live_streams WHERE id IN (${marks(ids.length)}) RETURNING participant_id`,
        ids,
      );
      const affected = [...new Set(rows.map((r) => r.participant_id))];
      if (affected.length === 0) return;
      await c.run(
        `UPDATE live_participants SET grace_deadline = ?
         WHERE id IN (${marks(affected.length)}) AND state <> 'gone' AND NOT EXISTS (
           SELECT 1 FROM live_streams s JOIN live_nodes n ON n.name = s.node
           WHERE s.participant_id = live_participants.id AND n.heartbeat_at >= ?)`,
        [now + this.limits.disconnectGraceMs, ...affected, now - this.#staleAfterMs],
      );
    });
  }

  /**
   * Runs `work` in a transaction holding the meeting's lock. `locked` is the meeting row, or
   * undefined when the meeting has no live row (everyone gone): `work` decides what that means.
   */
  #inMeeting<T>(meetingKey: string, work: (tx: Tx, locked: MeetingRow | undefined) => Promise<T>) {
    return inTransaction(this.#pool, this.#notifier, async (tx) => work(tx, await lockMeeting(tx.c, meetingKey)));
  }

  /** Logs `event` for the participants `where` selects, and says so at commit. */
  async #record(tx: Tx, where: string, params: string[], event: StreamEvent, meetingKey: string): Promise<void> {
    if ((await recordFor(tx.c, where, params, event, this.limits.maxLoggedEvents)) > 0) tx.notify(`e:${meetingKey}`);
  }

  /**
   * Leaves the meeting with a final event (none when leaving by choice), kept until purge_at for
   * a late stream. The caller holds the meeting lock and passed people not gone yet.
   */
  async #finish(
    tx: Tx,
    meetingKey: string,
    people: { id: string; state: ParticipantState }[],
    reason: EndReason | undefined,
  ): Promise<void> {
    const { c } = tx;
    const ids = people.map((p) => p.id);
    const inIds = `id IN (${marks(ids.length)})`;
    if (reason) await this.#record(tx, inIds, ids, { type: 'end', reason }, meetingKey);
    await c.run(
      `UPDATE live_participants SET state = 'gone', purge_at = ?, grace_deadline = NULL, lobby_deadline = NULL,
         media_mode = NULL, end_reason = ? WHERE ${inIds}`,
      [this.#now() + this.limits.tombstoneMs, reason ?? null, ...ids],
    );
    await c.run(`DELETE FROM live_streams WHERE participant_${inIds}`, ids);
    const left = await c.get<{ n: number }>(
      "SELECT count(*) AS n FROM live_participants WHERE meeting_key = ? AND state <> 'gone'",
      [meetingKey],
    );
    for (const id of ids) tx.notify(`x:${id}`);
    if (Number(left?.n ?? 0) === 0) {
      await c.run('DELETE FROM live_meetings WHERE meeting_key = ?', [meetingKey]);
      return;
    }
    if (people.some((p) => p.state === 'lobby')) tx.notify(`l:${meetingKey}`);
    if (people.some((p) => p.state !== 'lobby')) tx.notify(`r:${meetingKey}`);
  }

  #limiterOf(participantId: string): ChatLimiter {
    let entry = this.#limiters.get(participantId);
    if (!entry) {
      entry = { limiter: createChatLimiter(this.limits.maxChatPerMinute, this.#now), usedAt: 0 };
      this.#limiters.set(participantId, entry);
    }
    entry.usedAt = this.#now();
    return entry.limiter;
  }
}
