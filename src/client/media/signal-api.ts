/** The media calls of the conference API: start a media session, send one signal. */
import type { MediaSessionResponse, Signal } from '../../shared/media-schema';
import { type ApiResult, call } from '../conference-api';

export interface Who {
  participantId: string;
  token: string;
}

const post = <T>(who: Who, rest: string, body: unknown) =>
  call<T>(`/participants/${encodeURIComponent(who.participantId)}${rest}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

export const startMediaSession = (who: Who, video: boolean): Promise<ApiResult<MediaSessionResponse>> =>
  post<MediaSessionResponse>(who, '/media', { video });

export const sendSignal = (who: Who, to: string, signal: Signal): Promise<ApiResult<void>> =>
  post<void>(who, '/signal', { to, signal });
