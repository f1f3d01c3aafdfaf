/**
 * Live meetings in PostgreSQL, so that any node can serve any participant and a node's death or
 * restart ends nothing. Tables: sql/pg-schema/live.ts; statements: live-postgres-sql.ts; the
 * streams this node holds and their deliveries: live-postgres-streams.ts.
 *
 * - State lives in rows: participants (state, mute, deadlines, media mode), the meeting row,
 *   each participant's numbered event log, chat sends remembered for dedupe, open streams by node.
 * - Every change runs in one transaction that first locks the meeting's row (FOR UPDATE): seats,
 *   the lobby and open streams are counted under it, so limits hold across nodes, and a
 *   participant's event ids are allocated under it (next_event_id), so a participant's events
 *   commit in id order: a reader that sees id n has every id below it. One lock per meeting, taken
 *   first, means no two transactions ever wait on each other in opposite orders (no deadlock).
 * - Every change is published with NOTIFY on one channel, at commit, with ids only:
 *     e:<meeting>  new logged events for people of that meeting
 *     r:<meeting>  roster changed      l:<meeting>  lobby changed
 *     x:<participant> gone (deliver what is left, then close its streams)
 *     k:<stream>   close this stream (past maxStreamsPerParticipant)
 *     s:<signal>:<participant>  a media signal waits in live_signals
 *     z:<marker>   nothing: `settle()` waits for its own marker to come back
 *   Each node LISTENs on a dedicated connection and delivers to the streams it holds by reading
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
 *   the streams of its previous life.
 * - Media signalling (deliver) is not logged: a row in live_signals and `s:` with its id; the
 *   node holding the target's streams reads it and sends it. A signal sent while the target has no
 *   open stream (reconnecting) reaches nobody, as in one process: the page starts its media again
 *   when its stream is back (callResumed), so the negotiation is redone rather than replayed.
 *   Rows are deleted after `signalTtlMs`.
 * - Not shared: the chat and signal rate limits (per node, so a sender spreading requests over N
 *   nodes gets up to N times the rate; each node still bounds it) and the per-address stream
 *   count (routes). Seats, the lobby, each address's share of them and streams per participant
 *   are counted across nodes, under the meeting lock; so are the meeting's lock and who the
 *   organizer removed (live_removed, gone with the meeting's row).
 * - Clocks: deadlines are the nodes' own milliseconds, compared across nodes: keep them in sync.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { ChatMessage, EndReason, Role, StreamEvent } from '../../shared/api-schema';
import type { MediaMode } from '../../shared/media-schema';
import { sameSecret } from '../secrets/same-secret';
import { type ChatLimiter, createChatLimiter } from './chat-limit';
import { type Listener, listen } from './live-listener';
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
import {
  countIn,
  eventsAfter,
  groupByMeeting,
  inTransaction,
  LIVE_CHANNEL,
  lockMeeting,
  type MeetingRow,
  mediaPeersOf,
  PARTICIPANT_COLUMNS,
  type ParticipantRow,
  participantOf,
  participantRow,
  peopleOf,
  recordFor,
  removedMarks,
  type Tx,
} from './live-postgres-sql';
import { type LocalStream, NodeStreams } from './live-postgres-streams';
import { isRemoved, removedMark } from './removed-marks';

export { LIVE_CHANNEL } from './live-postgres-sql';

export interface PostgresLiveOptions {
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
  /** false: no heartbeat or sweep timers; the caller calls heartbeat() and sweep() (tests). */
  timers?: boolean;
}

const newId = (bytes: number) => randomBytes(bytes).toString('base64url');

type Opened = { gone: true; log: LoggedEvent[] } | { gone: false; snapshot: StreamEvent; kickedHere: LocalStream[] };

export class PostgresLiveMeetings implements Live {
  readonly limits: LiveLimits;
  readonly nodeName: string;
  readonly #pool: pg.Pool;
  readonly #log: LiveLog;
  readonly #now: () => number;
  readonly #heartbeatMs: number;
  readonly #staleAfterMs: number;
  readonly #signalTtlMs: number;
  /** The streams this node holds, and their deliveries. */
  readonly #streams: NodeStreams;
  readonly #limiters = new Map<string, { limiter: ChatLimiter; usedAt: number }>();
  #listener: Listener | undefined;
  #timers: ReturnType<typeof setInterval>[] = [];
  #lastBeatAt = 0;
  /** Streams being opened (their transaction is running). */
  readonly #opening = new Set<Promise<Opened>>();
  #closed = false;

  private constructor(pool: pg.Pool, limits: Partial<LiveLimits>, options: PostgresLiveOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.nodeName = options.nodeName;
    this.#pool = pool;
    this.#log = options.log ?? SILENT_LOG;
    this.#now = options.now ?? Date.now;
    this.#heartbeatMs = options.heartbeatMs ?? 2_000;
    this.#staleAfterMs = options.staleAfterMs ?? 5 * this.#heartbeatMs;
    this.#signalTtlMs = options.signalTtlMs ?? 30_000;
    this.#streams = new NodeStreams(pool, this.nodeName, this.#log);
  }

  /** Joins the pool of nodes: registers this node (clearing its previous life's streams) and listens. */
  static async open(
    pool: pg.Pool,
    url: string,
    limits: Partial<LiveLimits>,
    options: PostgresLiveOptions,
  ): Promise<PostgresLiveMeetings> {
    const live = new PostgresLiveMeetings(pool, limits, options);
    const now = live.#now();
    await inTransaction(pool, async ({ c }) => {
      await c.query(
        `INSERT INTO live_nodes (name, heartbeat_at, started_at) VALUES ($1, $2, $2)
         ON CONFLICT (name) DO UPDATE SET heartbeat_at = $2, started_at = $2`,
        [live.nodeName, now],
      );
      // Streams this node held before it died or restarted are gone with that process.
      await c.query('DELETE FROM live_streams WHERE node = $1', [live.nodeName]);
      const { rows } = await c.query<{ last: number }>('SELECT COALESCE(max(id), 0) AS last FROM live_signals');
      live.#streams.lastSignalId = Number(rows[0]?.last ?? 0);
    });
    live.#lastBeatAt = now;
    live.#listener = listen(
      url,
      LIVE_CHANNEL,
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
    return inTransaction(this.#pool, async (tx): Promise<JoinOutcome> => {
      const { c } = tx;
      // A meeting row deleted under us (its last participant left) is made again.
      let meeting: MeetingRow | undefined;
      for (;;) {
        await c.query(
          'INSERT INTO live_meetings (meeting_key, thread_id, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
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
      const { rows } = await c.query<ParticipantRow>(
        `INSERT INTO live_participants
           (id, token, meeting_key, display_name, role, state, joined_at, grace_deadline, lobby_deadline, address, device)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${PARTICIPANT_COLUMNS}`,
        [
          newId(9),
          newId(24),
          meetingKey,
          displayName,
          role,
          waits ? 'lobby' : 'in-meeting',
          now,
          // Until its event stream opens, a participant (lobby guests too) counts as disconnected.
          now + this.limits.disconnectGraceMs,
          waits ? now + this.limits.lobbyTimeoutMs : null,
          origin.address ?? null,
          origin.device ?? null,
        ],
      );
      tx.notify(`${waits ? 'l' : 'r'}:${meetingKey}`);
      return { ok: true, participant: participantOf(rows[0] as ParticipantRow) };
    });
  }

  async threadIdOf(participant: Participant): Promise<string> {
    const { rows } = await this.#pool.query<{ thread_id: string }>(
      'SELECT thread_id FROM live_meetings WHERE meeting_key = $1',
      [participant.meetingKey],
    );
    return rows[0]?.thread_id ?? '';
  }

  async authenticate(id: string, token: string): Promise<Participant | undefined> {
    const participant = await this.participant(id);
    return participant && sameSecret(token, participant.token) ? participant : undefined;
  }

  async participant(id: string): Promise<Participant | undefined> {
    const { rows } = await this.#pool.query<ParticipantRow>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM live_participants WHERE id = $1`,
      [id],
    );
    return rows[0] && participantOf(rows[0]);
  }

  async remove(organizer: Participant, participantId: string): Promise<boolean> {
    if (participantId === organizer.id) return false;
    return this.#inMeeting(organizer.meetingKey, async (tx) => {
      const { rows } = await tx.c.query<ParticipantRow & { address: string | null; device: string | null }>(
        `SELECT ${PARTICIPANT_COLUMNS}, address, device FROM live_participants WHERE id = $1`,
        [participantId],
      );
      const target = rows[0];
      if (!target || target.state === 'gone' || target.meeting_key !== organizer.meetingKey) return false;
      const mark = removedMark(
        { address: target.address ?? undefined, device: target.device ?? undefined },
        target.token,
      );
      await tx.c.query('INSERT INTO live_removed (meeting_key, address, device, token_hash) VALUES ($1, $2, $3, $4)', [
        organizer.meetingKey,
        mark.address ?? null,
        mark.device ?? null,
        mark.tokenHash,
      ]);
      // Oldest forgotten first, past the bound (an organizer removing in a loop cannot grow it forever).
      await tx.c.query(
        `DELETE FROM live_removed WHERE meeting_key = $1 AND seq <= (
           SELECT seq FROM live_removed WHERE meeting_key = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)`,
        [organizer.meetingKey, this.limits.maxRemovedPerMeeting],
      );
      await this.#finish(tx, organizer.meetingKey, [target], 'removed');
      return true;
    });
  }

  async chat(participant: Participant, text: string, clientMessageId: string): Promise<ChatResult> {
    const sent = await this.#inMeeting(participant.meetingKey, async (tx, locked) => {
      const { c } = tx;
      const again = await c.query<{ message: string }>(
        'SELECT message FROM live_chat_sends WHERE participant_id = $1 AND client_message_id = $2',
        [participant.id, clientMessageId],
      );
      if (again.rows[0]) return { ok: true, message: JSON.parse(again.rows[0].message) as ChatMessage } as const;
      if (!this.#limiterOf(participant.id).take()) return { ok: false, problem: 'chat-rate-limited' } as const;
      const message: ChatMessage = {
        id: newId(12),
        clientMessageId,
        fromId: participant.id,
        fromName: participant.displayName,
        text,
        sentAt: this.#now(),
      };
      await c.query('INSERT INTO live_chat_sends (participant_id, client_message_id, message) VALUES ($1, $2, $3)', [
        participant.id,
        clientMessageId,
        JSON.stringify(message),
      ]);
      await c.query(
        `DELETE FROM live_chat_sends WHERE participant_id = $1 AND seq <= (
           SELECT seq FROM live_chat_sends WHERE participant_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)`,
        [participant.id, this.limits.maxRememberedSends],
      );
      if (locked) {
        await this.#record(
          tx,
          "meeting_key = $1 AND state = 'in-meeting'",
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
      await tx.c.query('UPDATE live_participants SET muted = $2 WHERE id = $1', [participant.id, muted]);
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
      await tx.c.query("UPDATE live_participants SET state = 'in-meeting', lobby_deadline = NULL WHERE id = $1", [
        guestId,
      ]);
      await this.#record(
        tx,
        'id = $1',
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
      await tx.c.query('UPDATE live_meetings SET locked = $2 WHERE meeting_key = $1', [organizer.meetingKey, locked]);
      await this.#record(
        tx,
        "meeting_key = $1 AND state = 'in-meeting' AND role = 'organizer'",
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
        await c.query("UPDATE live_participants SET state = 'in-meeting', lobby_deadline = NULL WHERE id = ANY($1)", [
          admitted,
        ]);
        await this.#record(
          tx,
          'id = ANY($1)',
          [admitted],
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
      const { rows } = await tx.c.query<{ id: string; state: ParticipantState }>(
        "SELECT id, state FROM live_participants WHERE meeting_key = $1 AND state <> 'gone'",
        [meetingKey],
      );
      if (rows.length > 0) await this.#finish(tx, meetingKey, rows, 'ended');
    });
  }

  async roster(meetingKey: string): Promise<Participant[]> {
    const { rows } = await this.#pool.query<ParticipantRow>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM live_participants WHERE meeting_key = $1 AND state <> 'gone' ORDER BY seq`,
      [meetingKey],
    );
    return rows.map(participantOf);
  }

  async meetingKeys(): Promise<string[]> {
    const { rows } = await this.#pool.query<{ meeting_key: string }>('SELECT meeting_key FROM live_meetings');
    return rows.map((r) => r.meeting_key);
  }

  async counts(): Promise<LiveCounts> {
    const { rows } = await this.#pool.query<{ meetings: number; in_meeting: number; in_lobby: number }>(
      `SELECT (SELECT count(*) FROM live_meetings) AS meetings,
              count(*) FILTER (WHERE state = 'in-meeting') AS in_meeting,
              count(*) FILTER (WHERE state = 'lobby') AS in_lobby
       FROM live_participants WHERE state <> 'gone'`,
    );
    const row = rows[0] ?? { meetings: 0, in_meeting: 0, in_lobby: 0 };
    const streams = this.#streams.registered().length;
    return {
      meetings: Number(row.meetings),
      inMeeting: Number(row.in_meeting),
      inLobby: Number(row.in_lobby),
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
      for (const entry of await eventsAfter(this.#pool, participant.id, lastEventId, Number.MAX_SAFE_INTEGER)) {
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
      await c.query('INSERT INTO live_streams (id, participant_id, node) VALUES ($1, $2, $3)', [
        stream.id,
        stream.participantId,
        this.nodeName,
      ]);
      await c.query('UPDATE live_participants SET grace_deadline = NULL WHERE id = $1', [stream.participantId]);
      // Oldest first; streams on nodes that stopped heart-beating are not open any more.
      const { rows } = await c.query<{ id: string; node: string; fresh: boolean }>(
        `SELECT s.id, s.node, COALESCE(n.heartbeat_at >= $2, false) AS fresh
         FROM live_streams s LEFT JOIN live_nodes n ON n.name = s.node
         WHERE s.participant_id = $1 ORDER BY s.seq`,
        [stream.participantId, now - this.#staleAfterMs],
      );
      const open = rows.filter((r) => r.fresh);
      const excess = open.slice(0, Math.max(0, open.length - this.limits.maxStreamsPerParticipant));
      const drop = [...rows.filter((r) => !r.fresh), ...excess];
      if (drop.length > 0) {
        await c.query('DELETE FROM live_streams WHERE id = ANY($1)', [drop.map((r) => r.id)]);
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
      await c.query('UPDATE live_participants SET media_mode = $2 WHERE id = $1', [participant.id, mode]);
      return { mode, others };
    });
  }

  async mediaPeers(meetingKey: string): Promise<MediaPeer[]> {
    return mediaPeersOf(this.#pool, meetingKey);
  }

  async deliver(participantId: string, event: StreamEvent): Promise<void> {
    // One statement: the row and its notification commit together.
    await this.#pool.query(
      `WITH s AS (INSERT INTO live_signals (participant_id, event, created_at) VALUES ($1, $2, $3) RETURNING id)
       SELECT pg_notify($4, 's:' || s.id || ':' || $1) FROM s`,
      [participantId, JSON.stringify(event), this.#now(), LIVE_CHANNEL],
    );
  }

  // ---- background ------------------------------------------------------------------------

  /** Says this node is alive. A node that finds it was silent too long closes its streams. */
  async heartbeat(): Promise<void> {
    const now = this.#now();
    const wasStale = now - this.#lastBeatAt > this.#staleAfterMs;
    await this.#pool.query(
      `INSERT INTO live_nodes (name, heartbeat_at, started_at) VALUES ($1, $2, $2)
       ON CONFLICT (name) DO UPDATE SET heartbeat_at = $2`,
      [this.nodeName, now],
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
    await pool.query(
      `DELETE FROM live_streams s WHERE NOT EXISTS (
         SELECT 1 FROM live_nodes n WHERE n.name = s.node AND n.heartbeat_at >= $1)`,
      [now - this.#staleAfterMs],
    );
    // Whoever has no open stream left and no grace running starts it now (under the meeting lock,
    // so a stream opening on another node at this moment is seen).
    const unwatched = await pool.query<{ id: string; meeting_key: string }>(
      `SELECT id, meeting_key FROM live_participants p WHERE state <> 'gone' AND grace_deadline IS NULL
       AND NOT EXISTS (SELECT 1 FROM live_streams s WHERE s.participant_id = p.id)`,
    );
    for (const [meetingKey, ids] of groupByMeeting(unwatched.rows)) {
      await this.#inMeeting(meetingKey, async ({ c }) => {
        await c.query(
          `UPDATE live_participants p SET grace_deadline = $2 WHERE id = ANY($1) AND state <> 'gone'
           AND grace_deadline IS NULL AND NOT EXISTS (SELECT 1 FROM live_streams s WHERE s.participant_id = p.id)`,
          [ids, now + this.limits.disconnectGraceMs],
        );
      });
    }
    const dueSql = `state <> 'gone' AND (grace_deadline <= $1 OR (state = 'lobby' AND lobby_deadline <= $1))`;
    const due = await pool.query<{ id: string; meeting_key: string }>(
      `SELECT id, meeting_key FROM live_participants WHERE ${dueSql}`,
      [now],
    );
    for (const [meetingKey, ids] of groupByMeeting(due.rows)) {
      await this.#inMeeting(meetingKey, async (tx) => {
        // Again under the lock: another node may have finished them, or a stream opened.
        const { rows } = await tx.c.query<{ id: string; state: ParticipantState; timed_out: boolean }>(
          `SELECT id, state, (state = 'lobby' AND lobby_deadline <= $1
                              AND (grace_deadline IS NULL OR lobby_deadline <= grace_deadline)) AS timed_out
           FROM live_participants WHERE id = ANY($2) AND ${dueSql} ORDER BY seq`,
          [now, ids],
        );
        const timedOut = rows.filter((r) => r.timed_out);
        const graceOver = rows.filter((r) => !r.timed_out);
        if (timedOut.length > 0) await this.#finish(tx, meetingKey, timedOut, 'lobby-timeout');
        if (graceOver.length > 0) await this.#finish(tx, meetingKey, graceOver, 'disconnected');
      });
    }
    await pool.query("DELETE FROM live_participants WHERE state = 'gone' AND purge_at <= $1", [now]);
    await pool.query('DELETE FROM live_signals WHERE created_at < $1', [now - this.#signalTtlMs]);
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
  }

  /**
   * What kill -9 leaves behind: timers and the LISTEN connection stop, nothing is written, stream
   * rows stay. For tests of another node taking over.
   */
  abandon(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#listener?.drop(false);
    this.#streams.abandon();
  }

  /** Cuts the LISTEN connection as a network fault would; it reconnects and reads again (tests). */
  dropNotifications(): void {
    this.#listener?.drop(true);
  }

  /** Deletes closed streams' rows; a participant left with none on a live node starts the grace. */
  async #dropStreamRows(meetingKey: string, ids: string[]): Promise<void> {
    const now = this.#now();
    await this.#inMeeting(meetingKey, async ({ c }) => {
      const { rows } = await c.query<{ participant_id: string }>(
        'DELETE FROM live_streams WHERE id = ANY($1) RETURNING participant_id',
        [ids],
      );
      const affected = [...new Set(rows.map((r) => r.participant_id))];
      if (affected.length === 0) return;
      await c.query(
        `UPDATE live_participants p SET grace_deadline = $2
         WHERE id = ANY($1) AND state <> 'gone' AND NOT EXISTS (
           SELECT 1 FROM live_streams s JOIN live_nodes n ON n.name = s.node
           WHERE s.participant_id = p.id AND n.heartbeat_at >= $3)`,
        [affected, now + this.limits.disconnectGraceMs, now - this.#staleAfterMs],
      );
    });
  }

  /**
   * Runs `work` in a transaction holding the meeting's lock. `locked` is the meeting row, or
   * undefined when the meeting has no live row (everyone gone): `work` decides what that means.
   */
  #inMeeting<T>(meetingKey: string, work: (tx: Tx, locked: MeetingRow | undefined) => Promise<T>) {
    return inTransaction(this.#pool, async (tx) => work(tx, await lockMeeting(tx.c, meetingKey)));
  }

  /** Logs `event` for the participants `where` selects, and says so at commit. */
  async #record(tx: Tx, where: string, params: unknown[], event: StreamEvent, meetingKey: string): Promise<void> {
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
    if (reason) await this.#record(tx, 'id = ANY($1)', [ids], { type: 'end', reason }, meetingKey);
    await c.query(
      `UPDATE live_participants SET state = 'gone', purge_at = $2, grace_deadline = NULL, lobby_deadline = NULL,
         media_mode = NULL, end_reason = $3 WHERE id = ANY($1)`,
      [ids, this.#now() + this.limits.tombstoneMs, reason ?? null],
    );
    await c.query('DELETE FROM live_streams WHERE participant_id = ANY($1)', [ids]);
    const left = await c.query<{ n: number }>(
      "SELECT count(*) AS n FROM live_participants WHERE meeting_key = $1 AND state <> 'gone'",
      [meetingKey],
    );
    for (const id of ids) tx.notify(`x:${id}`);
    if (Number(left.rows[0]?.n ?? 0) === 0) {
      await c.query('DELETE FROM live_meetings WHERE meeting_key = $1', [meetingKey]);
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
