/**
 * Live state of meetings, in memory (one process: the embedded SQLite deployment): who is in, who
 * waits in the lobby, and what each participant still has to hear. Each participant holds an unguessable token; every call on its behalf must
 * present it. Each participant has its own numbered event log, so a dropped event stream resumes
 * exactly where it stopped (SSE `Last-Event-ID`): nothing lost, nothing twice.
 *
 * One address cannot lock a meeting: seats and the lobby are bounded separately, and one client
 * address holds at most its share of each; the organizer always gets in (an organizer does not
 * need a free seat), anyone with no open event stream, in the lobby too, is dropped after the same
 * grace, and the organizer can remove anyone, lock the meeting, and admit or deny the whole lobby.
 * Someone removed (same address, device or former token) comes back only through the lobby.
 */
import { randomBytes } from 'node:crypto';
import type { ChatMessage, EndReason, Role, RosterEntry, StreamEvent } from '../../shared/api-schema';
import type { MediaMode } from '../../shared/media-schema';
import { sameSecret } from '../secrets/same-secret';
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
  type LobbyBatch,
  type LoggedEvent,
  type MediaPeer,
  type Participant,
  type ParticipantState,
  type Sink,
} from './live-model';
import { isRemoved, type RemovedMark, removedMark } from './removed-marks';

/** A participant with what only this process keeps about them. */
interface Held extends Participant {
  log: LoggedEvent[];
  nextEventId: number;
  /** Open streams, oldest first (a Set keeps insertion order). */
  sinks: Set<Sink>;
  sent: Map<string, ChatMessage>;
  limiter: ChatLimiter;
  /** The media session's mode; forgotten with the participant. */
  mediaMode?: MediaMode;
  /** The disconnect grace, then the tombstone. */
  timer?: ReturnType<typeof setTimeout>;
  /** The lobby timeout, while waiting in the lobby. */
  lobbyTimer?: ReturnType<typeof setTimeout>;
  origin: JoinOrigin;
}

interface LiveMeeting {
  key: string;
  threadId: string;
  startedAt: number;
  participants: Set<Held>;
  /** New guests wait in the lobby. */
  locked: boolean;
  /** Who the organizer removed, oldest first: they come back only through the lobby. */
  removed: RemovedMark[];
}

const newId = (bytes: number) => randomBytes(bytes).toString('base64url');

/** What callers get: a copy, as a database-backed implementation would give. */
const view = (p: Held): Participant => ({
  id: p.id,
  token: p.token,
  displayName: p.displayName,
  role: p.role,
  state: p.state,
  meetingKey: p.meetingKey,
  muted: p.muted,
  joinedAt: p.joinedAt,
  ...(p.endReason && { endReason: p.endReason }),
});

/** The first logged event after `afterId` (ids only grow: binary search). */
function nextLogged(log: LoggedEvent[], afterId: number): LoggedEvent | undefined {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((log[mid] as LoggedEvent).id <= afterId) low = mid + 1;
    else high = mid;
  }
  return log[low];
}

export class MemoryLiveMeetings implements Live {
  readonly #participants = new Map<string, Held>();
  readonly #meetings = new Map<string, LiveMeeting>();
  readonly limits: LiveLimits;
  readonly #now: () => number;

  constructor(limits: Partial<LiveLimits> = {}, now: () => number = Date.now) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.#now = now;
  }

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
    let meeting = this.#meetings.get(meetingKey);
    const guest = role !== 'organizer';
    const waits = guest && (lobby || (meeting !== undefined && (meeting.locked || isRemoved(meeting.removed, origin))));
    if (meeting && guest) {
      const state: ParticipantState = waits ? 'lobby' : 'in-meeting';
      const total = waits ? this.limits.maxLobbyPerMeeting : this.limits.maxParticipantsPerMeeting;
      if (this.#count(meeting, state) >= total) return { ok: false, problem: 'meeting-full' };
      const share = addressShare(total, waits ? this.limits.lobbySharePerAddress : this.limits.seatSharePerAddress);
      if (origin.address !== undefined && this.#count(meeting, state, origin.address) >= share) {
        return { ok: false, problem: 'address-full' };
      }
    }
    if (!meeting) {
      meeting = {
        key: meetingKey,
        threadId: `19:meeting_${newId(18)}@thread.v2`,
        startedAt: this.#now(),
        participants: new Set(),
        locked: false,
        removed: [],
      };
      this.#meetings.set(meetingKey, meeting);
    }
    const participant: Held = {
      id: newId(9),
      token: newId(24),
      displayName,
      role,
      state: waits ? 'lobby' : 'in-meeting',
      meetingKey,
      muted: false,
      joinedAt: this.#now(),
      log: [],
      nextEventId: 1,
      sinks: new Set(),
      sent: new Map(),
      limiter: createChatLimiter(this.limits.maxChatPerMinute, this.#now),
      // Not the former token: it only had to match a removal mark, now.
      origin: { address: origin.address, device: origin.device },
    };
    this.#participants.set(participant.id, participant);
    meeting.participants.add(participant);
    // Until its event stream opens, a participant (lobby guests too) counts as disconnected.
    this.#armGrace(participant);
    if (participant.state === 'lobby') {
      this.#lobbyTimer(participant);
      this.#broadcastLobby(meeting);
    } else {
      this.#broadcastRoster(meeting);
    }
    return { ok: true, participant: view(participant) };
  }

  async threadIdOf(participant: Participant): Promise<string> {
    return this.#meetings.get(participant.meetingKey)?.threadId ?? '';
  }

  async authenticate(id: string, token: string): Promise<Participant | undefined> {
    const participant = this.#participants.get(id);
    if (!participant) return undefined;
    return sameSecret(token, participant.token) ? view(participant) : undefined;
  }

  async participant(id: string): Promise<Participant | undefined> {
    const participant = this.#participants.get(id);
    return participant && view(participant);
  }

  async connect(who: Participant, sink: Sink, lastEventId: number): Promise<void> {
    const participant = this.#participants.get(who.id);
    if (!participant) {
      sink.close();
      return;
    }
    const meeting = this.#meetings.get(participant.meetingKey);
    if (participant.state !== 'gone' && meeting) {
      sink.send(undefined, this.#snapshot(participant, meeting));
    }
    if (participant.state === 'gone') {
      for (const entry of participant.log) if (entry.id > lastEventId) sink.send(entry.id, entry.event);
      sink.close();
      return;
    }
    participant.sinks.add(sink);
    if (sink.replay) sink.replay(lastEventId, (afterId) => nextLogged(participant.log, afterId));
    else for (const entry of participant.log) if (entry.id > lastEventId) sink.send(entry.id, entry.event);
    while (participant.sinks.size > this.limits.maxStreamsPerParticipant) {
      const oldest = participant.sinks.values().next().value as Sink;
      participant.sinks.delete(oldest);
      oldest.close();
    }
    this.#clearTimer(participant);
  }

  async disconnect(who: Participant, sink: Sink): Promise<void> {
    const participant = this.#participants.get(who.id);
    if (!participant) return;
    if (!participant.sinks.delete(sink) || participant.sinks.size > 0 || participant.state === 'gone') return;
    this.#armGrace(participant);
  }

  async remove(organizer: Participant, participantId: string): Promise<boolean> {
    const target = this.#participants.get(participantId);
    if (
      !target ||
      target.id === organizer.id ||
      target.state === 'gone' ||
      target.meetingKey !== organizer.meetingKey
    ) {
      return false;
    }
    const meeting = this.#meetings.get(target.meetingKey);
    if (meeting) {
      meeting.removed.push(removedMark(target.origin, target.token));
      if (meeting.removed.length > this.limits.maxRemovedPerMeeting) meeting.removed.shift();
    }
    this.#finish(target, 'removed');
    return true;
  }

  async chat(who: Participant, text: string, clientMessageId: string): Promise<ChatResult> {
    const participant = this.#participants.get(who.id);
    if (!participant) return { ok: false, problem: 'chat-rate-limited' };
    const again = participant.sent.get(clientMessageId);
    if (again) return { ok: true, message: again };
    if (!participant.limiter.take()) return { ok: false, problem: 'chat-rate-limited' };
    const meeting = this.#meetings.get(participant.meetingKey);
    const message: ChatMessage = {
      id: newId(12),
      clientMessageId,
      fromId: participant.id,
      fromName: participant.displayName,
      text,
      sentAt: this.#now(),
    };
    participant.sent.set(clientMessageId, message);
    if (participant.sent.size > this.limits.maxRememberedSends) {
      participant.sent.delete(participant.sent.keys().next().value as string);
    }
    for (const p of meeting?.participants ?? [])
      if (p.state === 'in-meeting') this.#record(p, { type: 'chat', message });
    return { ok: true, message };
  }

  async setMuted(who: Participant, muted: boolean): Promise<void> {
    const participant = this.#participants.get(who.id);
    if (!participant) return;
    participant.muted = muted;
    const meeting = this.#meetings.get(participant.meetingKey);
    if (meeting) this.#broadcastRoster(meeting);
  }

  async decide(organizer: Participant, guestId: string, admit: boolean): Promise<boolean | 'full'> {
    const guest = this.#participants.get(guestId);
    if (guest?.state !== 'lobby' || guest.meetingKey !== organizer.meetingKey) return false;
    if (!admit) {
      this.#finish(guest, 'denied');
      return true;
    }
    const meeting = this.#meetings.get(guest.meetingKey) as LiveMeeting;
    if (this.#count(meeting, 'in-meeting') >= this.limits.maxParticipantsPerMeeting) return 'full';
    guest.state = 'in-meeting';
    this.#clearLobbyTimer(guest);
    this.#record(guest, { type: 'admitted', elapsedMs: this.#now() - meeting.startedAt });
    this.#broadcastRoster(meeting);
    this.#broadcastLobby(meeting);
    return true;
  }

  async setLocked(organizer: Participant, locked: boolean): Promise<boolean> {
    const meeting = this.#meetings.get(organizer.meetingKey);
    if (!meeting || this.#participants.get(organizer.id)?.state !== 'in-meeting') return false;
    if (meeting.locked === locked) return true;
    meeting.locked = locked;
    for (const p of meeting.participants) {
      if (p.state === 'in-meeting' && p.role === 'organizer') this.#record(p, { type: 'locked', locked });
    }
    return true;
  }

  async decideAll(organizer: Participant, admit: boolean): Promise<LobbyBatch> {
    const meeting = this.#meetings.get(organizer.meetingKey);
    if (!meeting) return { decided: 0, waiting: 0 };
    const waiting = [...meeting.participants].filter((p) => p.state === 'lobby');
    let decided = 0;
    for (const guest of waiting) {
      const done = await this.decide(organizer, guest.id, admit);
      if (done === 'full') break;
      if (done) decided++;
    }
    return { decided, waiting: this.#count(meeting, 'lobby') };
  }

  async leave(who: Participant): Promise<void> {
    const participant = this.#participants.get(who.id);
    if (participant) this.#finish(participant, undefined);
  }

  async end(organizer: Participant): Promise<void> {
    await this.endMeeting(organizer.meetingKey);
  }

  async roster(meetingKey: string): Promise<Participant[]> {
    return [...(this.#meetings.get(meetingKey)?.participants ?? [])].map(view);
  }

  async endMeeting(meetingKey: string): Promise<void> {
    const meeting = this.#meetings.get(meetingKey);
    if (!meeting) return;
    for (const p of [...meeting.participants]) this.#finish(p, 'ended');
  }

  async meetingKeys(): Promise<string[]> {
    return [...this.#meetings.keys()];
  }

  async counts(): Promise<LiveCounts> {
    let inMeeting = 0;
    let inLobby = 0;
    let streams = 0;
    for (const p of this.#participants.values()) {
      if (p.state === 'in-meeting') inMeeting++;
      else if (p.state === 'lobby') inLobby++;
      streams += p.sinks.size;
    }
    return { meetings: this.#meetings.size, inMeeting, inLobby, streams };
  }

  async closeAllStreams(): Promise<void> {
    for (const p of this.#participants.values()) {
      for (const sink of p.sinks) sink.close();
      p.sinks.clear();
      this.#clearTimer(p);
      this.#clearLobbyTimer(p);
    }
  }

  async startMedia(
    who: Participant,
    choose: (others: MediaPeer[]) => MediaMode,
  ): Promise<{ mode: MediaMode; others: MediaPeer[] }> {
    const participant = this.#participants.get(who.id);
    const others = (await this.mediaPeers(who.meetingKey)).filter((o) => o.id !== who.id);
    if (participant?.state !== 'in-meeting') return { mode: 'none', others };
    participant.mediaMode ??= choose(others);
    return { mode: participant.mediaMode, others };
  }

  async mediaPeers(meetingKey: string): Promise<MediaPeer[]> {
    return [...(this.#meetings.get(meetingKey)?.participants ?? [])]
      .filter((p) => p.state === 'in-meeting')
      .map((p) => ({ id: p.id, mode: p.mediaMode }));
  }

  async deliver(participantId: string, event: StreamEvent): Promise<void> {
    const participant = this.#participants.get(participantId);
    for (const sink of participant?.sinks ?? []) sink.send(undefined, event);
  }

  async close(): Promise<void> {
    await this.closeAllStreams();
  }

  #snapshot(participant: Held, meeting: LiveMeeting): StreamEvent {
    const inMeeting = participant.state === 'in-meeting';
    return {
      type: 'snapshot',
      state: inMeeting ? 'in-meeting' : 'lobby',
      you: entryOf(participant),
      roster: inMeeting ? this.#rosterOf(meeting) : [],
      lobby: inMeeting && participant.role === 'organizer' ? this.#lobbyOf(meeting) : [],
      elapsedMs: this.#now() - meeting.startedAt,
      ...(inMeeting && participant.role === 'organizer' && { locked: meeting.locked }),
    };
  }

  /** Leaves the meeting with a final event (unless leaving by choice), kept a while for a late stream. */
  #finish(participant: Held, reason: EndReason | undefined): void {
    if (participant.state === 'gone') return;
    const wasWaiting = participant.state === 'lobby';
    if (reason) this.#record(participant, { type: 'end', reason });
    participant.state = 'gone';
    participant.endReason = reason;
    participant.mediaMode = undefined;
    this.#clearLobbyTimer(participant);
    for (const sink of participant.sinks) sink.close();
    participant.sinks.clear();
    this.#armTimer(participant, this.limits.tombstoneMs, () => this.#participants.delete(participant.id));
    const meeting = this.#meetings.get(participant.meetingKey);
    if (!meeting) return;
    meeting.participants.delete(participant);
    if (meeting.participants.size === 0) this.#meetings.delete(meeting.key);
    else if (wasWaiting) this.#broadcastLobby(meeting);
    else this.#broadcastRoster(meeting);
  }

  #record(participant: Held, event: StreamEvent): void {
    const id = participant.nextEventId++;
    participant.log.push({ id, event });
    if (participant.log.length > this.limits.maxLoggedEvents) participant.log.shift();
    for (const sink of participant.sinks) sink.send(id, event);
  }

  #rosterOf(meeting: LiveMeeting): RosterEntry[] {
    return [...meeting.participants].filter((p) => p.state === 'in-meeting').map(entryOf);
  }

  #lobbyOf(meeting: LiveMeeting): RosterEntry[] {
    return [...meeting.participants].filter((p) => p.state === 'lobby').map(entryOf);
  }

  #broadcastRoster(meeting: LiveMeeting): void {
    const event: StreamEvent = { type: 'roster', roster: this.#rosterOf(meeting) };
    for (const p of meeting.participants) {
      if (p.state === 'in-meeting') for (const sink of p.sinks) sink.send(undefined, event);
    }
  }

  #broadcastLobby(meeting: LiveMeeting): void {
    const event: StreamEvent = { type: 'lobby', lobby: this.#lobbyOf(meeting) };
    for (const p of meeting.participants) {
      if (p.state === 'in-meeting' && p.role === 'organizer') for (const sink of p.sinks) sink.send(undefined, event);
    }
  }

  /** People of the meeting in this state (guests from this address, when given). */
  #count(meeting: LiveMeeting, state: ParticipantState, address?: string): number {
    let n = 0;
    for (const p of meeting.participants) {
      if (p.state === state && (address === undefined || (p.role === 'guest' && p.origin.address === address))) n++;
    }
    return n;
  }

  #armGrace(participant: Held): void {
    this.#armTimer(participant, this.limits.disconnectGraceMs, () => this.#finish(participant, 'disconnected'));
  }

  #lobbyTimer(participant: Held): void {
    this.#clearLobbyTimer(participant);
    participant.lobbyTimer = setTimeout(() => this.#finish(participant, 'lobby-timeout'), this.limits.lobbyTimeoutMs);
    participant.lobbyTimer.unref?.();
  }

  #clearLobbyTimer(participant: Held): void {
    if (participant.lobbyTimer) clearTimeout(participant.lobbyTimer);
    participant.lobbyTimer = undefined;
  }

  #armTimer(participant: Held, ms: number, then: () => void): void {
    this.#clearTimer(participant);
    participant.timer = setTimeout(then, ms);
    participant.timer.unref?.();
  }

  #clearTimer(participant: Held): void {
    if (participant.timer) clearTimeout(participant.timer);
    participant.timer = undefined;
  }
}
