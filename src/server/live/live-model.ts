/**
 * What every implementation of live meetings shares: the participant as callers see it, the sink
 * an event stream writes to, the limits, and the one async interface (`Live`) that the routes,
 * the media mesh and the wiring use. One implementation, live-store.ts, over the store on either
 * engine (live.ts opens it).
 */
import type { ChatMessage, EndReason, Role, RosterEntry, StreamEvent } from '../../shared/api-schema';
import type { MediaMode } from '../../shared/media-schema';

export type ParticipantState = 'lobby' | 'in-meeting' | 'gone';

/**
 * A participant as the API sees one: a value read when it was asked for (authenticate, join,
 * participant), not a live object. Ask again to see a later state.
 */
export interface Participant {
  id: string;
  token: string;
  displayName: string;
  role: Role;
  state: ParticipantState;
  meetingKey: string;
  muted: boolean;
  joinedAt: number;
  /** Why a gone participant's session ended (undefined: still here, or left by choice). */
  endReason?: EndReason;
}

/**
 * Where a join comes from: what a removed person would have to change to come back unnoticed.
 * `address` is the client address the server saw (the forwarded one only behind a trusted proxy);
 * `device` a random id a client keeps on its device (the web page keeps none); `formerToken` the
 * token of the session the page had before (a removed page's Rejoin). All optional.
 */
export interface JoinOrigin {
  address?: string;
  device?: string;
  formerToken?: string;
}

/** Why a join is refused: every seat (or lobby place) taken, or this address's share of them. */
export type JoinProblem = 'meeting-full' | 'address-full';

export type JoinOutcome = { ok: true; participant: Participant } | { ok: false; problem: JoinProblem };

/** What an organizer's admit-all or deny-all did. */
export interface LobbyBatch {
  /** How many guests were admitted or denied. */
  decided: number;
  /** Guests still waiting (admit-all stops when every seat is taken). */
  waiting: number;
}

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
   * the client reads (backpressure); `next` answers at once (memory) or later (a database).
   * Sinks without it get every entry at once (tests).
   */
  replay?(
    lastEventId: number,
    next: (afterId: number) => LoggedEvent | undefined | Promise<LoggedEvent | undefined>,
    done?: (lastId: number) => void,
  ): void;
  close(): void;
}

export interface LiveLimits {
  /** Seats: people in the meeting itself (an organizer always gets in, even when they are taken). */
  maxParticipantsPerMeeting: number;
  /** People waiting in the lobby, bounded apart from the seats. */
  maxLobbyPerMeeting: number;
  /**
   * The share of the seats one client address may hold (guests; the organizer is never refused):
   * 0.4 of 250 is 100, so a whole office behind one NAT gets in, and one address never fills a meeting.
   */
  seatSharePerAddress: number;
  /** The share of the lobby one client address may hold: 0.6 of 100 is 60 places. */
  lobbySharePerAddress: number;
  /** People a meeting remembers as removed (address, device, token) until it ends; oldest forgotten first. */
  maxRemovedPerMeeting: number;
  /** Open event streams per participant; a new one closes the oldest (a reloaded tab). */
  maxStreamsPerParticipant: number;
  /** Open event streams per client address (generous: a whole office behind one NAT). Per node. */
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
  seatSharePerAddress: 0.4,
  lobbySharePerAddress: 0.6,
  maxRemovedPerMeeting: 1000,
  maxStreamsPerParticipant: 3,
  maxStreamsPerAddress: 500,
  maxChatPerMinute: 30,
  lobbyTimeoutMs: 15 * 60_000,
  disconnectGraceMs: 60_000,
  tombstoneMs: 10 * 60_000,
  maxLoggedEvents: 1000,
  maxRememberedSends: 100,
};

/** How many of `total` places one address may hold: its share, at least one, never all of them (when there are two). */
export function addressShare(total: number, share: number): number {
  return Math.max(1, Math.min(Math.floor(total * share), total - 1));
}

/** Kept for callers of the skeleton's constant. */
export const MAX_PARTICIPANTS_PER_MEETING = DEFAULT_LIMITS.maxParticipantsPerMeeting;

export const entryOf = (p: Pick<Participant, 'id' | 'displayName' | 'role' | 'muted'>): RosterEntry => ({
  id: p.id,
  displayName: p.displayName,
  role: p.role,
  muted: p.muted,
});

export type ChatResult = { ok: true; message: ChatMessage } | { ok: false; problem: 'chat-rate-limited' };

export interface LiveCounts {
  meetings: number;
  inMeeting: number;
  inLobby: number;
  streams: number;
}

/** A participant of a meeting with the media mode they took (undefined: no media session yet). */
export interface MediaPeer {
  id: string;
  mode: MediaMode | undefined;
}

/**
 * Live meetings: who is in, who waits, what each participant still has to hear, and delivery to
 * their open event streams. Every method is async: an implementation may keep this state in a
 * database shared by many nodes. Methods taking a `Participant` use only its id (and meeting);
 * its state is read again where it matters.
 */
export interface Live {
  readonly limits: LiveLimits;
  /** A new participant, or undefined when the seats (or the lobby) are full. */
  join(meetingKey: string, displayName: string, role: Role, lobby: boolean): Promise<Participant | undefined>;
  /**
   * A join with where it comes from: refused past the meeting's places or the address's share of
   * them; sent to the lobby (whatever `lobby` says) when the meeting is locked or the origin
   * matches someone the organizer removed. An organizer is never refused and never waits.
   */
  joinFrom(
    meetingKey: string,
    displayName: string,
    role: Role,
    lobby: boolean,
    origin: JoinOrigin,
  ): Promise<JoinOutcome>;
  threadIdOf(participant: Participant): Promise<string>;
  /** The participant if the token is theirs; undefined otherwise (no hint which part was wrong). */
  authenticate(id: string, token: string): Promise<Participant | undefined>;
  /** The participant as it is now (tests, status), whatever node changed it. */
  participant(id: string): Promise<Participant | undefined>;
  /**
   * Opens a stream: the current state, then every logged event after `lastEventId` (at the pace
   * the client reads). Past maxStreamsPerParticipant, the oldest open stream is closed.
   */
  connect(participant: Participant, sink: Sink, lastEventId: number): Promise<void>;
  disconnect(participant: Participant, sink: Sink): Promise<void>;
  /** The organizer removes someone (in the meeting or waiting); false if there is no such person. */
  remove(organizer: Participant, participantId: string): Promise<boolean>;
  chat(participant: Participant, text: string, clientMessageId: string): Promise<ChatResult>;
  setMuted(participant: Participant, muted: boolean): Promise<void>;
  /**
   * An organizer admits or denies a waiting guest; false if there is no such guest waiting, 'full'
   * if every seat is taken (the guest keeps waiting).
   */
  decide(organizer: Participant, guestId: string, admit: boolean): Promise<boolean | 'full'>;
  /**
   * The organizer locks (every new guest waits in the lobby) or unlocks the meeting; the
   * organizers in it hear a `locked` event. False if the organizer is not in the meeting.
   */
  setLocked(organizer: Participant, locked: boolean): Promise<boolean>;
  /** The organizer admits (in join order, while seats are free) or denies everyone waiting. */
  decideAll(organizer: Participant, admit: boolean): Promise<LobbyBatch>;
  /** The participant leaves by choice: no final event, they already know. */
  leave(participant: Participant): Promise<void>;
  /** The organizer ends the meeting for everyone, lobby included. */
  end(organizer: Participant): Promise<void>;
  /** Ends a meeting the admin removed: everyone in it, lobby included, sees it end. */
  endMeeting(meetingKey: string): Promise<void>;
  /** Everyone in the meeting or its lobby, in the order they joined. */
  roster(meetingKey: string): Promise<Participant[]>;
  meetingKeys(): Promise<string[]>;
  /** For the metrics: live meetings, participants by state, open event streams (on this node). */
  counts(): Promise<LiveCounts>;
  /** Ends every open stream of this node (shutdown); the clients reconnect to whoever serves next. */
  closeAllStreams(): Promise<void>;
  /**
   * The media part, kept generic so that an SFU could replace the mesh (live/signal.ts)
   * without touching this interface or the screens. `startMedia` runs `choose` with the media
   * modes of the others in the meeting and stores its answer, atomically (two newcomers never both
   * take the last video place); a participant who already has a mode keeps it.
   */
  startMedia(
    participant: Participant,
    choose: (others: MediaPeer[]) => MediaMode,
  ): Promise<{ mode: MediaMode; others: MediaPeer[] }>;
  /** The people in the meeting itself (not the lobby) with their media mode. */
  mediaPeers(meetingKey: string): Promise<MediaPeer[]>;
  /**
   * Sends an unlogged event to the open streams of one participant, on whatever node holds them.
   * Not stored for resuming: a participant with no open stream at that moment never gets it.
   */
  deliver(participantId: string, event: StreamEvent): Promise<void>;
  /** Stops background work (timers, notifications); does not close the store. */
  close(): Promise<void>;
}

/** Where an implementation writes what goes wrong in the background (pino's `app.log` fits). */
export interface LiveLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export const SILENT_LOG: LiveLog = { info() {}, warn() {}, error() {} };
