/**
 * Live state of meetings, in memory: who is in, who waits in the lobby, and what each participant
 * still has to hear. Each participant holds an unguessable token; every call on its behalf must
 * present it. Each participant has its own numbered event log, so a dropped event stream resumes
 * exactly where it stopped (SSE `Last-Event-ID`): nothing lost, nothing twice.
 *
 * One address cannot lock a meeting: seats and the lobby are bounded separately, the organizer
 * always gets in (an organizer does not need a free seat), anyone with no open event stream, in
 * the lobby too, is dropped after the same grace, and the organizer can remove anyone.
 */
import { randomBytes } from 'node:crypto';
import type { ChatMessage, EndReason, Role, RosterEntry, StreamEvent } from '../../shared/api-schema';
import { sameSecret } from '../same-secret';
import { type ChatLimiter, createChatLimiter } from './chat-limit';

export type ParticipantState = 'lobby' | 'in-meeting' | 'gone';

/** One logged event; the log is what a reconnecting stream replays. */
export interface LoggedEvent {
  id: number;
  event: StreamEvent;
}

/** Where a participant's events go: one open event stream. */
export interface Sink {
  send(id: number | undefined, event: StreamEvent): void;
  /**
   * Replays logged events after `lastEventId`, pulling each with `next(afterId)` only as fast as
   * the client reads (backpressure). Sinks without it get every entry at once (tests).
   */
  replay?(lastEventId: number, next: (afterId: number) => LoggedEvent | undefined): void;
  close(): void;
}

export interface Participant {
  id: string;
  token: string;
  displayName: string;
  role: Role;
  state: ParticipantState;
  meetingKey: string;
  muted: boolean;
  joinedAt: number;
  log: LoggedEvent[];
  nextEventId: number;
  /** Open streams, oldest first (a Set keeps insertion order). */
  sinks: Set<Sink>;
  sent: Map<string, ChatMessage>;
  limiter: ChatLimiter;
  /** The disconnect grace, then the tombstone. */
  timer?: ReturnType<typeof setTimeout>;
  /** The lobby timeout, while waiting in the lobby. */
  lobbyTimer?: ReturnType<typeof setTimeout>;
}

interface LiveMeeting {
  key: string;
  threadId: string;
  startedAt: number;
  participants: Set<Participant>;
}

export interface LiveLimits {
  /** Seats: people in the meeting itself (an organizer always gets in, even when they are taken). */
  maxParticipantsPerMeeting: number;
  /** People waiting in the lobby, bounded apart from the seats. */
  maxLobbyPerMeeting: number;
  /** Open event streams per participant; a new one closes the oldest (a reloaded tab). */
  maxStreamsPerParticipant: number;
  /** Open event streams per client address (generous: a whole office behind one NAT). */
  maxStreamsPerAddress: number;
  maxChatPerMinute: number;
  /** How long a guest may wait in the lobby before being told to try again later. */
  lobbyTimeoutMs: number;
  /** A participant (in the lobby too) with no open event stream this long has closed the tab: they are removed. */
  disconnectGraceMs: number;
  /** How long a gone participant's final events stay readable by a reconnecting stream. */
  tombstoneMs: number;
  /** Events kept per participant for resuming; older ones are dropped first. */
  maxLoggedEvents: number;
  /** Chat messages remembered per participant to store a retried send once. */
  maxRememberedSends: number;
}

export const DEFAULT_LIMITS: LiveLimits = {
  maxParticipantsPerMeeting: 250,
  maxLobbyPerMeeting: 100,
  maxStreamsPerParticipant: 3,
  maxStreamsPerAddress: 500,
  maxChatPerMinute: 30,
  lobbyTimeoutMs: 15 * 60_000,
  disconnectGraceMs: 60_000,
  tombstoneMs: 10 * 60_000,
  maxLoggedEvents: 1000,
  maxRememberedSends: 100,
};

/** Kept for callers of the skeleton's constant. */
export const MAX_PARTICIPANTS_PER_MEETING = DEFAULT_LIMITS.maxParticipantsPerMeeting;

const newId = (bytes: number) => randomBytes(bytes).toString('base64url');

export const entryOf = (p: Participant): RosterEntry => ({
  id: p.id,
  displayName: p.displayName,
  role: p.role,
  muted: p.muted,
});

export type ChatResult = { ok: true; message: ChatMessage } | { ok: false; problem: 'chat-rate-limited' };

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

export class LiveMeetings {
  readonly #participants = new Map<string, Participant>();
  readonly #meetings = new Map<string, LiveMeeting>();
  readonly limits: LiveLimits;
  readonly #now: () => number;

  constructor(limits: Partial<LiveLimits> = {}, now: () => number = Date.now) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.#now = now;
  }

  join(meetingKey: string, displayName: string, role: Role, lobby: boolean): Participant | undefined {
    let meeting = this.#meetings.get(meetingKey);
    const waits = lobby && role !== 'organizer';
    if (meeting && role !== 'organizer') {
      const taken = waits ? this.#count(meeting, 'lobby') : this.#count(meeting, 'in-meeting');
      if (taken >= (waits ? this.limits.maxLobbyPerMeeting : this.limits.maxParticipantsPerMeeting)) return undefined;
    }
    if (!meeting) {
      meeting = {
        key: meetingKey,
        threadId: `19:meeting_${newId(18)}@thread.v2`,
        startedAt: this.#now(),
        participants: new Set(),
      };
      this.#meetings.set(meetingKey, meeting);
    }
    const participant: Participant = {
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
    return participant;
  }

  threadIdOf(participant: Participant): string {
    return this.#meetings.get(participant.meetingKey)?.threadId ?? '';
  }

  /** The participant if the token is theirs; undefined otherwise (no hint which part was wrong). */
  authenticate(id: string, token: string): Participant | undefined {
    const participant = this.#participants.get(id);
    if (!participant) return undefined;
    return sameSecret(token, participant.token) ? participant : undefined;
  }

  /**
   * Opens a stream: the current state, then every logged event after `lastEventId` (at the pace
   * the client reads). Past maxStreamsPerParticipant, the oldest open stream is closed.
   */
  connect(participant: Participant, sink: Sink, lastEventId: number): void {
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

  disconnect(participant: Participant, sink: Sink): void {
    if (!participant.sinks.delete(sink) || participant.sinks.size > 0 || participant.state === 'gone') return;
    this.#armGrace(participant);
  }

  /** The organizer removes someone (in the meeting or waiting); false if there is no such person. */
  remove(organizer: Participant, participantId: string): boolean {
    const target = this.#participants.get(participantId);
    if (!target || target === organizer || target.state === 'gone' || target.meetingKey !== organizer.meetingKey) {
      return false;
    }
    this.#finish(target, 'removed');
    return true;
  }

  chat(participant: Participant, text: string, clientMessageId: string): ChatResult {
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

  setMuted(participant: Participant, muted: boolean): void {
    participant.muted = muted;
    const meeting = this.#meetings.get(participant.meetingKey);
    if (meeting) this.#broadcastRoster(meeting);
  }

  /**
   * An organizer admits or denies a waiting guest; false if there is no such guest waiting, 'full'
   * if every seat is taken (the guest keeps waiting).
   */
  decide(organizer: Participant, guestId: string, admit: boolean): boolean | 'full' {
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

  /** The participant leaves by choice: no final event, they already know. */
  leave(participant: Participant): void {
    this.#finish(participant, undefined);
  }

  /** The organizer ends the meeting for everyone, lobby included. */
  end(organizer: Participant): void {
    const meeting = this.#meetings.get(organizer.meetingKey);
    if (!meeting) return;
    for (const p of [...meeting.participants]) this.#finish(p, 'ended');
  }

  roster(meetingKey: string): Participant[] {
    return [...(this.#meetings.get(meetingKey)?.participants ?? [])];
  }

  /** Ends a meeting the admin removed: everyone in it, lobby included, sees it end. */
  endMeeting(meetingKey: string): void {
    const meeting = this.#meetings.get(meetingKey);
    if (!meeting) return;
    for (const p of [...meeting.participants]) this.#finish(p, 'ended');
  }

  meetingKeys(): string[] {
    return [...this.#meetings.keys()];
  }

  /** For the metrics: live meetings, participants by state, open event streams. */
  counts(): { meetings: number; inMeeting: number; inLobby: number; streams: number } {
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

  /** Ends every open stream (server shutdown); the clients reconnect to whoever serves next. */
  closeAllStreams(): void {
    for (const p of this.#participants.values()) {
      for (const sink of p.sinks) sink.close();
      p.sinks.clear();
      this.#clearTimer(p);
      this.#clearLobbyTimer(p);
    }
  }

  #snapshot(participant: Participant, meeting: LiveMeeting): StreamEvent {
    const inMeeting = participant.state === 'in-meeting';
    return {
      type: 'snapshot',
      state: inMeeting ? 'in-meeting' : 'lobby',
      you: entryOf(participant),
      roster: inMeeting ? this.#rosterOf(meeting) : [],
      lobby: inMeeting && participant.role === 'organizer' ? this.#lobbyOf(meeting) : [],
      elapsedMs: this.#now() - meeting.startedAt,
    };
  }

  /** Leaves the meeting with a final event (unless leaving by choice), kept a while for a late stream. */
  #finish(participant: Participant, reason: EndReason | undefined): void {
    if (participant.state === 'gone') return;
    const wasWaiting = participant.state === 'lobby';
    if (reason) this.#record(participant, { type: 'end', reason });
    participant.state = 'gone';
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

  #record(participant: Participant, event: StreamEvent): void {
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

  #count(meeting: LiveMeeting, state: ParticipantState): number {
    let n = 0;
    for (const p of meeting.participants) if (p.state === state) n++;
    return n;
  }

  #armGrace(participant: Participant): void {
    this.#armTimer(participant, this.limits.disconnectGraceMs, () => this.#finish(participant, 'removed'));
  }

  #lobbyTimer(participant: Participant): void {
    this.#clearLobbyTimer(participant);
    participant.lobbyTimer = setTimeout(() => this.#finish(participant, 'lobby-timeout'), this.limits.lobbyTimeoutMs);
    participant.lobbyTimer.unref?.();
  }

  #clearLobbyTimer(participant: Participant): void {
    if (participant.lobbyTimer) clearTimeout(participant.lobbyTimer);
    participant.lobbyTimer = undefined;
  }

  #armTimer(participant: Participant, ms: number, then: () => void): void {
    this.#clearTimer(participant);
    participant.timer = setTimeout(then, ms);
    participant.timer.unref?.();
  }

  #clearTimer(participant: Participant): void {
    if (participant.timer) clearTimeout(participant.timer);
    participant.timer = undefined;
  }
}
