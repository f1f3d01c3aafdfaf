/** Conference API bodies and rules shared by the meetings shell and the pool web service. */
import * as v from 'valibot';
import { MAX_CHAT_MESSAGE_LENGTH, MAX_DISPLAY_NAME_LENGTH } from './constants';
import type { Signal } from './media-schema';

/**
 * What a display name may not hold: control characters (C0, DEL, C1), line and paragraph
 * separators, unpaired surrogates, and format characters (bidi overrides, zero-width spaces, tag
 * characters), except the zero-width joiner and non-joiner that emoji and some scripts need.
 */
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]|(?![\u200c\u200d])\p{Cf}/u;
/**
 * A character someone can see: not white space, not a default-ignorable (zero-width, fillers
 * such as U+3164), not a combining mark on its own, not the blank braille pattern.
 */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/u;

export type NameProblem = 'name-required' | 'name-too-long' | 'name-invalid-characters';

/** Checks a display name as the person typed it; returns the trimmed name or the problem. */
export function checkDisplayName(raw: string): { ok: true; name: string } | { ok: false; problem: NameProblem } {
  const name = raw.trim();
  if (name.length === 0) return { ok: false, problem: 'name-required' };
  if ([...name].length > MAX_DISPLAY_NAME_LENGTH) return { ok: false, problem: 'name-too-long' };
  if (FORBIDDEN_IN_NAME.test(name)) return { ok: false, problem: 'name-invalid-characters' };
  if (!VISIBLE.test(name)) return { ok: false, problem: 'name-required' };
  return { ok: true, name };
}

export const joinRequest = v.strictObject({
  displayName: v.pipe(v.string(), v.maxLength(1024)),
  /** The secret from the organizer's link (`#organizerKey=...`); guests leave it out. */
  organizerKey: v.optional(v.pipe(v.string(), v.maxLength(256))),
  /**
   * A random id a client keeps on its device (a native client may; the web page keeps none): a
   * person the organizer removed waits in the lobby when it comes back.
   */
  deviceId: v.optional(v.pipe(v.string(), v.regex(/^[\w-]{16,64}$/))),
  /** The token of this page's previous session in the meeting (a removed page's Rejoin). */
  formerToken: v.optional(v.pipe(v.string(), v.maxLength(256))),
});

export type JoinRequest = v.InferOutput<typeof joinRequest>;

/** What the meeting lookup answers: enough to show the meeting, nothing secret. */
export interface MeetingInfo {
  organizer: string;
  conferenceId: string;
  subject: string;
  organizerUri: string;
  federationDomain: string;
  conferenceUri: string;
  lobby: boolean;
  /** Join by phone; absent when the meeting has no dial-in conference ID. */
  dialIn?: DialIn;
}

/** One dial-in access number of a pool. */
export interface DialInNumber {
  /** ISO 3166-1 alpha-2 region code; the page names the region in the reader's language. */
  region: string;
  /** E.164, for tel: links. */
  number: string;
  /** As people write it in that region. */
  display: string;
  tollFree: boolean;
}

/**
 * A meeting's join-by-phone details in the lookup: only its phone conference ID. The numbers are the
 * pool's (GET /api/v1/dialin), fetched off the critical path when the launcher is idle.
 */
export interface DialIn {
  conferenceId: string;
}

/** GET /api/v1/dialin: every dial-in number of the pool, for the /dialin page. */
export interface DialInDirectory {
  numbers: DialInNumber[];
}

export type Role = 'organizer' | 'guest';

export interface JoinResponse {
  participantId: string;
  token: string;
  state: 'lobby' | 'in-meeting';
  role: Role;
  /** The meeting's conversation thread id (not secret; telemetry error reports carry it). */
  threadId: string;
}

/** Every error the API answers with carries a machine-readable code. */
export interface ApiError {
  code: string;
  message: string;
}

// Chat text may hold line breaks and tabs, nothing else from the control ranges.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_IN_CHAT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export type ChatProblem = 'chat-empty' | 'chat-too-long' | 'chat-invalid-characters';

/** Checks a chat message as typed; returns the trimmed text or the problem. Text only, never HTML. */
export function checkChatText(raw: string): { ok: true; text: string } | { ok: false; problem: ChatProblem } {
  const text = raw.trim();
  if (text.length === 0) return { ok: false, problem: 'chat-empty' };
  if ([...text].length > MAX_CHAT_MESSAGE_LENGTH) return { ok: false, problem: 'chat-too-long' };
  if (FORBIDDEN_IN_CHAT.test(text)) return { ok: false, problem: 'chat-invalid-characters' };
  return { ok: true, text };
}

export const chatRequest = v.strictObject({
  text: v.pipe(v.string(), v.maxLength(MAX_CHAT_MESSAGE_LENGTH * 4)),
  /** Chosen by the sender so a retried send is stored once. */
  clientMessageId: v.pipe(v.string(), v.regex(/^[\w-]{8,64}$/)),
});

export const muteRequest = v.strictObject({ muted: v.boolean() });

export const lobbyDecisionRequest = v.strictObject({ decision: v.picklist(['admit', 'deny']) });

export const lockRequest = v.strictObject({ locked: v.boolean() });

/** What admit-all / deny-all answers. */
export interface LobbyBatchResponse {
  decided: number;
  waiting: number;
}

export interface RosterEntry {
  id: string;
  displayName: string;
  role: Role;
  muted: boolean;
}

export interface ChatMessage {
  id: string;
  clientMessageId: string;
  fromId: string;
  fromName: string;
  text: string;
  sentAt: number;
}

/**
 * Why a participant's session ended: `removed` by the organizer; `disconnected` when no event
 * stream was open for the whole grace (a closed tab, a long network cut).
 */
export type EndReason = 'ended' | 'denied' | 'lobby-timeout' | 'removed' | 'disconnected';

/**
 * What the event stream carries, one JSON object per `data:` line. Chat, admission and end carry an
 * SSE `id` so a reconnect (`Last-Event-ID`) resumes exactly after them; snapshot, roster and lobby
 * describe current state and are sent again on every connect.
 */
export type StreamEvent =
  | {
      type: 'snapshot';
      state: 'lobby' | 'in-meeting';
      you: RosterEntry;
      roster: RosterEntry[];
      lobby: RosterEntry[];
      elapsedMs: number;
      /** The meeting is locked (organizers only: guests are not told). */
      locked?: boolean;
    }
  /** The organizer locked or unlocked the meeting (organizers only; logged). */
  | { type: 'locked'; locked: boolean }
  | { type: 'roster'; roster: RosterEntry[] }
  | { type: 'lobby'; lobby: RosterEntry[] }
  | { type: 'chat'; message: ChatMessage }
  | { type: 'admitted'; elapsedMs: number }
  | { type: 'end'; reason: EndReason }
  /** Media signalling from another participant (never logged: a resumed stream does not replay it). */
  | { type: 'signal'; from: string; signal: Signal };
