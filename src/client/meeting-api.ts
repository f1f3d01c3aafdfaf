/**
 * The conference API client: with `meeting/participant-api.ts`, the only place the page talks to
 * `/api/v1`. This half is what the launcher needs; the participant calls live with the shell's chunk.
 */
import type { ApiError, MeetingInfo } from '../shared/api-schema';
import { API_PREFIX } from '../shared/constants';
import type { MeetingRef } from '../shared/meeting-url';

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; code: string /** The error body, for screens that show more. */; detail?: unknown };

export async function call<T>(path: string, init: RequestInit = {}): Promise<ApiResult<T>> {
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

export const meetingPath = (ref: MeetingRef) =>
  `/meetings/${encodeURIComponent(ref.organizer)}/${encodeURIComponent(ref.conferenceId)}`;

export function lookupMeeting(ref: MeetingRef): Promise<ApiResult<MeetingInfo>> {
  return call<MeetingInfo>(meetingPath(ref));
}
