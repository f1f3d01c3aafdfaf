/** The conference API client: the only place the page talks to `/api/v1`. */
import type { ApiError, ChatMessage, JoinResponse, MeetingInfo } from '../shared/api-schema';
import { API_PREFIX } from '../shared/constants';
import type { MeetingRef } from '../shared/meeting-url';

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; code: string /** The error body, for screens that show more. */; detail?: unknown };

async function call<T>(path: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, { cache: 'no-store', credentials: 'same-origin', ...init });
  } catch {
    return { ok: false, status: 0, code: navigator.onLine === false ? 'offline' : 'service-unreachable' };
  }
  if (response.status === 204) return { ok: true, value: undefined as T };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (response.ok) return { ok: true, value: body as T };
  const code = (body as Partial<ApiError> | undefined)?.code;
  return {
    ok: false,
    status: response.status,
    code: typeof code === 'string' ? code : response.status >= 500 ? 'service-unreachable' : 'unexpected',
    detail: body,
  };
}

const meetingPath = (ref: MeetingRef) =>
  `/meetings/${encodeURIComponent(ref.organizer)}/${encodeURIComponent(ref.conferenceId)}`;

export function lookupMeeting(ref: MeetingRef): Promise<ApiResult<MeetingInfo>> {
  return call<MeetingInfo>(meetingPath(ref));
}

export function joinMeeting(
  ref: MeetingRef,
  displayName: string,
  organizerKey?: string,
): Promise<ApiResult<JoinResponse>> {
  return call<JoinResponse>(`${meetingPath(ref)}/participants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(organizerKey ? { displayName, organizerKey } : { displayName }),
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
