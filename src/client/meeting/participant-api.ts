/** The participant calls of the conference API: join, status, chat, mute, lobby, end, events, leave. */
import type { ChatMessage, JoinRequest, JoinResponse, LobbyBatchResponse } from '../../shared/api-schema';
import { API_PREFIX } from '../../shared/constants';
import type { MeetingRef } from '../../shared/meeting-url';
import { type ApiResult, call, meetingPath } from '../meeting-api';

/**
 * Joins; `formerToken` (this tab's previous session) lets the server send someone the organizer
 * removed to the lobby. The page sends no `deviceId`: it keeps no identifier on the device.
 */
export function joinMeeting(
  ref: MeetingRef,
  join: Omit<JoinRequest, 'organizerKey'> & { organizerKey?: string | undefined },
): Promise<ApiResult<JoinResponse>> {
  const body: JoinRequest = { displayName: join.displayName };
  if (join.organizerKey) body.organizerKey = join.organizerKey;
  if (join.deviceId) body.deviceId = join.deviceId;
  if (join.formerToken) body.formerToken = join.formerToken;
  return call<JoinResponse>(`${meetingPath(ref)}/participants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Who is calling: every participant call carries the token in a header, never in the URL. */
export interface Credentials {
  participantId: string;
  token: string;
}

const participantPath = (who: Credentials, rest = '') =>
  `/participants/${encodeURIComponent(who.participantId)}${rest}`;

function postAs<T>(who: Credentials, rest: string, body?: unknown): Promise<ApiResult<T>> {
  return call<T>(participantPath(who, rest), {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
}

export function participantStatus(who: Credentials): Promise<ApiResult<{ state: string }>> {
  return call<{ state: string }>(participantPath(who), { headers: { authorization: `Bearer ${who.token}` } });
}

export function sendChat(who: Credentials, text: string, clientMessageId: string): Promise<ApiResult<ChatMessage>> {
  return postAs<ChatMessage>(who, '/chat', { text, clientMessageId });
}

export function setMuted(who: Credentials, muted: boolean): Promise<ApiResult<void>> {
  return postAs<void>(who, '/mute', { muted });
}

export function decideLobby(who: Credentials, guestId: string, decision: 'admit' | 'deny'): Promise<ApiResult<void>> {
  return postAs<void>(who, `/lobby/${encodeURIComponent(guestId)}`, { decision });
}

/** The organizer admits or denies everyone waiting in the lobby at once. */
export function decideWholeLobby(who: Credentials, decision: 'admit' | 'deny'): Promise<ApiResult<LobbyBatchResponse>> {
  return postAs<LobbyBatchResponse>(who, '/lobby', { decision });
}

/** The organizer locks the meeting (new guests wait in the lobby) or unlocks it. */
export function lockMeeting(who: Credentials, locked: boolean): Promise<ApiResult<void>> {
  return postAs<void>(who, '/lock', { locked });
}

/** The organizer removes someone from the meeting (their page ends as "removed"). */
export function removeParticipant(who: Credentials, targetId: string): Promise<ApiResult<void>> {
  return postAs<void>(who, `/remove/${encodeURIComponent(targetId)}`);
}

export function endMeeting(who: Credentials): Promise<ApiResult<void>> {
  return postAs<void>(who, '/end');
}

/**
 * The event stream's URL. EventSource cannot send headers, so this one URL carries the token in its
 * query; `lastEventId` lets a fresh EventSource resume where an earlier one stopped.
 */
export function eventStreamUrl(who: Credentials, lastEventId?: string): string {
  const query = new URLSearchParams({ token: who.token });
  if (lastEventId) query.set('lastEventId', lastEventId);
  return `${API_PREFIX}${participantPath(who, '/events')}?${query}`;
}

export function leaveMeeting(participantId: string, token: string): Promise<ApiResult<void>> {
  return call<void>(`/participants/${encodeURIComponent(participantId)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
    keepalive: true,
  });
}
