/** The media calls of the conference API: start a media session, send one signal. */
import type { MediaSessionResponse, Signal } from '../../shared/media-schema';
import type { ApiResult } from '../meeting-api';

type ApiCall = <T>(path: string, init?: RequestInit) => Promise<ApiResult<T>>;

let call: ApiCall = () => Promise.reject(new Error('media: the page has not handed over its API transport'));

/**
 * The page's conference-API transport, handed over by the screens (meeting/media-store.ts) when
 * they load this chunk. Importing it here instead would make the bundler split the launcher's
 * entry into extra chunks (a shared-constants chunk and Vite's preload helper, about 1.1 KB gzip
 * more on the critical path).
 */
export function useApiTransport(transport: ApiCall): void {
  call = transport;
}

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
