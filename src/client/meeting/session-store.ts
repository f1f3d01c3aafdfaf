/**
 * The meeting session: prejoin, joining, lobby, in the meeting, ended. Talks to the conference API
 * and the event stream, and counts what telemetry needs (through `track`, a no-op when off).
 */
import {
  checkDisplayName,
  type EndReason,
  type Role,
  type RosterEntry,
  type StreamEvent,
} from '../../shared/api-schema';
import type { MeetingRef } from '../../shared/meeting-url';
import { createStore } from '../store';
import { applyUpdateAtBreak, holdUpdatesDuringMeeting } from '../sw-bridge';
import { track } from '../track';
import { receiveChat, resetChat } from './chat-store';
import { openEventStream, type StreamStatus } from './event-stream';
import {
  callResumed,
  callRoster,
  callSignal,
  hasMicrophone,
  mediaStore,
  setMic,
  startCall,
  stopMedia,
} from './media-store';
import {
  type Credentials,
  decideLobby,
  decideWholeLobby,
  endMeeting,
  eventStreamUrl,
  joinMeeting,
  leaveMeeting,
  lockMeeting,
  participantStatus,
  removeParticipant,
  setMuted,
} from './participant-api';
import { rememberName } from './remembered-name';

export type Phase = 'prejoin' | 'joining' | 'lobby' | 'in-meeting' | 'ended';
export type FinalReason = EndReason | 'left';

export interface SessionState {
  phase: Phase;
  /** A `join.*` message key suffix explaining why the last join failed. */
  problem?: string;
  who?: Credentials;
  role?: Role;
  threadId?: string;
  /** When this person entered the meeting (for meeting minutes). */
  enteredAt?: number;
  /** When the meeting started, on this device's clock (for the elapsed time). */
  startedAt?: number;
  roster: RosterEntry[];
  lobby: RosterEntry[];
  muted: boolean;
  connection: StreamStatus;
  finalReason?: FinalReason;
  /** This person ended the meeting for everyone (they read "You ended", not "The organizer ended"). */
  endedByYou?: boolean;
  /** A `action.*` message key suffix when an admit, deny, mute or end did not go through. */
  actionProblem?: string;
  /** The organizer locked the meeting: new guests wait in the lobby (organizers only know). */
  locked: boolean;
}

const INITIAL: SessionState = {
  phase: 'prejoin',
  roster: [],
  lobby: [],
  muted: false,
  connection: 'connecting',
  locked: false,
};

export const sessionStore = createStore<SessionState>(INITIAL);

let closeStream: (() => void) | undefined;
/**
 * The token of this tab's last session, sent with the next join: someone the organizer removed
 * who presses Rejoin waits in the lobby (the server keeps only a hash of removed tokens). Held in
 * memory only: the page stores nothing but the name (see docs/privacy.md), so a reload or a new
 * tab is recognised by its address instead.
 */
let formerToken: string | undefined;
/** Set while this person's own "End meeting" is under way: the stream's end event may come first. */
let endingForEveryone = false;

/** The conversation context that error reports carry. */
export function conversation(): { conversationState: string; threadId?: string } {
  const { phase, threadId } = sessionStore.get();
  return { conversationState: phase, threadId };
}

function recordMinutes(): void {
  const { enteredAt } = sessionStore.get();
  if (enteredAt === undefined) return;
  track.usage('meetingMinutes', (Date.now() - enteredAt) / 60_000);
  sessionStore.update({ enteredAt: undefined });
}

function enterMeeting(elapsedMs: number): void {
  sessionStore.update({ phase: 'in-meeting', enteredAt: Date.now(), startedAt: Date.now() - elapsedMs });
  track.usage('joinSuccess');
  const { who } = sessionStore.get();
  if (!who) return;
  // Joined with the microphone off (prejoin): everyone sees it muted from the start.
  if (!mediaStore.get().micOn) void toggleMute(true);
  void startCall(who);
}

/** Closing the tab: count the minutes and tell the server, as leaving would. */
function onPageHide(): void {
  const { who, phase } = sessionStore.get();
  recordMinutes();
  stopMedia(); // counts the call minutes too, before the telemetry client's own pagehide flush
  if (who && (phase === 'lobby' || phase === 'in-meeting')) void leaveMeeting(who.participantId, who.token);
}

function finish(reason: FinalReason): void {
  recordMinutes();
  closeStream?.();
  closeStream = undefined;
  removeEventListener('pagehide', onPageHide, { capture: true });
  stopMedia(); // every track stops: the camera light goes off
  const endedByYou = reason === 'ended' && endingForEveryone;
  endingForEveryone = false;
  formerToken = sessionStore.get().who?.token ?? formerToken;
  sessionStore.update({ phase: 'ended', finalReason: reason, endedByYou, lobby: [], connection: 'connecting' });
  void applyUpdateAtBreak(); // the meeting is over for this tab: a natural break for a waiting worker update
}

function onStreamEvent(event: StreamEvent): void {
  const session = sessionStore.get();
  switch (event.type) {
    case 'snapshot':
      sessionStore.update({
        roster: event.roster,
        lobby: event.lobby,
        muted: event.you.muted,
        // The server's count, so the timer shows the meeting's time, not this person's.
        startedAt: Date.now() - event.elapsedMs,
        locked: event.locked ?? false,
      });
      callRoster(event.roster);
      // The microphone is the truth; a server that forgot (a lost request) is told again.
      if (
        event.state === 'in-meeting' &&
        session.phase === 'in-meeting' &&
        event.you.muted === mediaStore.get().micOn
      ) {
        void toggleMute(!mediaStore.get().micOn);
      }
      // Admitted while the stream was down: the snapshot is the first to say so.
      if (event.state === 'in-meeting' && session.phase === 'lobby') enterMeeting(event.elapsedMs);
      return;
    case 'roster':
      sessionStore.update({ roster: event.roster });
      callRoster(event.roster);
      return;
    case 'signal':
      callSignal(event.from, event.signal);
      return;
    case 'lobby':
      sessionStore.update({ lobby: event.lobby });
      return;
    case 'locked':
      sessionStore.update({ locked: event.locked });
      return;
    case 'admitted':
      if (session.phase === 'lobby') enterMeeting(event.elapsedMs);
      return;
    case 'chat':
      receiveChat(event.message, session.who?.participantId);
      return;
    case 'end':
      finish(event.reason);
      return;
  }
}

const END_REASONS: readonly EndReason[] = ['ended', 'denied', 'lobby-timeout', 'removed', 'disconnected'];

/** Why the server says a session ended (a 410's `reason`); anything else is a lost connection. */
function endReasonOf(detail: unknown): EndReason {
  const reason = (detail as { reason?: unknown } | undefined)?.reason;
  return END_REASONS.find((r) => r === reason) ?? 'disconnected';
}

function startStream(who: Credentials): void {
  const report = (code: string, message: string) =>
    track.error({ code, message, direction: 'incoming', ...conversation() });
  closeStream = openEventStream((lastEventId) => eventStreamUrl(who, lastEventId), {
    event: onStreamEvent,
    status: (connection) => {
      const was = sessionStore.get().connection;
      sessionStore.update({ connection });
      if (connection === 'connected' && was === 'reconnecting') callResumed();
    },
    dropped: () => report('stream:dropped', 'Event stream dropped'),
    refused: async () => {
      const status = await participantStatus(who);
      // 401/410: the server no longer has this participant (it restarted, or it ended their
      // session while the stream was down: a 410 says why, so "removed" reads as removed).
      if (!status.ok && (status.status === 401 || status.status === 410)) {
        report('stream:refused', `Event stream refused (${status.status})`);
        finish(endReasonOf(status.detail));
        return false;
      }
      return true;
    },
  });
  // Capture runs before the telemetry client's own pagehide flush, so the minutes go out with it.
  addEventListener('pagehide', onPageHide, { capture: true });
}

export async function submitJoin(ref: MeetingRef, rawName: string, organizerKey?: string): Promise<void> {
  if (sessionStore.get().phase === 'joining') return;
  holdUpdatesDuringMeeting();
  const name = checkDisplayName(rawName);
  if (!name.ok) {
    sessionStore.update({ problem: name.problem });
    return;
  }
  // A join attempt is a request sent to the service: a press the page refuses is not one, so the
  // success rate means what an admin reads into it.
  track.usage('joinAttempt');
  sessionStore.set({ ...INITIAL, phase: 'joining' });
  resetChat();
  const result = await joinMeeting(ref, { displayName: name.name, organizerKey, formerToken });
  if (!result.ok) {
    sessionStore.update({ phase: 'prejoin', problem: result.code });
    track.error({
      code: `join:${result.code}`,
      message: `Join failed (${result.status})`,
      conversationState: 'joining',
      direction: 'outgoing',
    });
    return;
  }
  rememberName(name.name);
  const { participantId, token, role, threadId, state } = result.value;
  const who = { participantId, token };
  track.user(participantId);
  track.meeting({ threadId });
  sessionStore.update({ who, role, threadId, phase: state === 'lobby' ? 'lobby' : 'joining' });
  if (state === 'in-meeting') enterMeeting(0);
  startStream(who);
}

/** Leaving by choice, from the lobby (cancel) or the meeting. */
export async function leave(): Promise<void> {
  const { who } = sessionStore.get();
  finish('left');
  if (who) await leaveMeeting(who.participantId, who.token);
}

async function participantAction(action: (who: Credentials) => Promise<{ ok: boolean; code?: string }>) {
  const { who } = sessionStore.get();
  if (!who) return;
  sessionStore.update({ actionProblem: undefined });
  const result = await action(who);
  if (!result.ok) sessionStore.update({ actionProblem: result.code });
}

export const admit = (guestId: string) => participantAction((who) => decideLobby(who, guestId, 'admit'));
export const deny = (guestId: string) => participantAction((who) => decideLobby(who, guestId, 'deny'));
export const remove = (participantId: string) => participantAction((who) => removeParticipant(who, participantId));
export const admitAll = () => participantAction((who) => decideWholeLobby(who, 'admit'));
export const denyAll = () => participantAction((who) => decideWholeLobby(who, 'deny'));
/** The stream's `locked` event is the truth; the button shows the change at once. */
export async function setLocked(locked: boolean): Promise<void> {
  const was = sessionStore.get().locked;
  sessionStore.update({ locked });
  await participantAction((who) => lockMeeting(who, locked));
  if (sessionStore.get().actionProblem) sessionStore.update({ locked: was });
}
export async function endForEveryone(): Promise<void> {
  endingForEveryone = true;
  await participantAction(endMeeting);
  if (sessionStore.get().actionProblem) endingForEveryone = false;
}

/**
 * Mute stops sending the microphone at once (no audio packet leaves), then tells the server so
 * everyone's roster shows it. The microphone state is the truth: a failed request is retried on
 * the next stream snapshot.
 */
export async function toggleMute(muted = !sessionStore.get().muted): Promise<void> {
  if (!muted && !hasMicrophone()) return; // nothing to unmute: stays muted for everyone
  sessionStore.update({ muted });
  await setMic(!muted);
  await participantAction((who) => setMuted(who, muted));
}

export function rejoin(): void {
  stopMedia();
  sessionStore.set(INITIAL);
  resetChat();
}
