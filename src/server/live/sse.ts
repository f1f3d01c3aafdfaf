/**
 * Writes one participant's event stream as server-sent events on a raw HTTP response, never
 * buffering without bound:
 * - a replay (reconnect with an old Last-Event-ID) pulls logged events only while the socket takes
 *   them, and continues on 'drain' (from memory at once, or from a database one read at a time);
 * - a live stream whose unsent bytes pass MAX_UNSENT_BYTES is closed: the page reconnects and
 *   resumes from its Last-Event-ID, so nothing is lost;
 * - a heartbeat comment every HEARTBEAT_MS keeps proxies from closing a quiet stream, and a
 *   stream that has not drained between two heartbeats has a dead or stalled peer: it is closed.
 * The same on HTTP/1.1 and HTTP/2: "the socket takes them" is write()'s own answer and 'drain',
 * which an HTTP/2 stream gives once the peer's flow-control window opens again; the unsent bytes
 * are the buffer of what carries the stream (the HTTP/2 stream, not the response object, which
 * has no `writableNeedDrain` of its own there).
 */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { StreamEvent } from '../../shared/api-schema';
import type { LoggedEvent, Sink } from './live';

/** Comments keep idle proxies and load balancers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/** How soon the browser's EventSource retries by itself after a network drop. */
export const RETRY_MS = 1_000;
/** Bytes a stream may hold unsent before it is closed (the client resumes). */
export const MAX_UNSENT_BYTES = 256 * 1024;

const frame = (id: number | undefined, event: StreamEvent) =>
  // JSON.stringify escapes line breaks, so one `data:` line always holds the whole event.
  `${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(event)}\n\n`;

export interface SseOptions {
  heartbeatMs?: number;
  maxUnsentBytes?: number;
}

/** `headers`: the response headers every answer carries (security); a hijacked reply skips hooks. */
/** What an event stream is written on: an HTTP/1.1 response, or HTTP/2's compatibility response. */
export type SseResponse = ServerResponse | Http2ServerResponse;

/** The buffer that holds what is not sent yet: the HTTP/2 stream under a response, or the response. */
function bufferOf(raw: SseResponse): { readonly writableLength: number } {
  return 'stream' in raw && raw.stream ? raw.stream : raw;
}

export function openSseSink(
  response: SseResponse,
  onClosed: () => void,
  headers: Record<string, string> = {},
  options: SseOptions = {},
): Sink {
  const maxUnsent = options.maxUnsentBytes ?? MAX_UNSENT_BYTES;
  const buffer = bufferOf(response);
  // HTTP/2's compatibility response has the same writeHead, write, end, destroy and events.
  const raw = response as ServerResponse;
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Tells nginx-style proxies not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  /** write() said its buffer is full and no 'drain' came since: the peer is not taking bytes. */
  let blocked = false;
  const put = (text: string) => {
    if (!raw.write(text)) blocked = true;
  };
  put(`retry: ${RETRY_MS}\n\n`);
  let closed = false;
  /** While replaying: the last logged id written, how to get the next one, and whom to tell at the end. */
  let replaying:
    | {
        lastId: number;
        next: (afterId: number) => LoggedEvent | undefined | Promise<LoggedEvent | undefined>;
        done?: (lastId: number) => void;
        /** A read from the log is on its way (a database): nothing else pulls meanwhile. */
        reading: boolean;
      }
    | undefined;
  let stalledAtLastBeat = false;

  const close = () => {
    if (closed) return;
    raw.end();
    cleanup();
  };
  const write = (entry: LoggedEvent | undefined) => {
    const current = replaying;
    if (!current || closed) return false;
    if (!entry) {
      replaying = undefined;
      current.done?.(current.lastId);
      return false;
    }
    current.lastId = entry.id;
    put(frame(entry.id, entry.event));
    return true;
  };
  const pump = () => {
    while (replaying && !replaying.reading && !closed && !blocked) {
      const current = replaying;
      const got = current.next(current.lastId);
      if (got instanceof Promise) {
        // Read at the pace the client takes them: the next read waits for this one and for drain.
        current.reading = true;
        got.then(
          (entry) => {
            current.reading = false;
            if (write(entry)) pump();
          },
          () => {
            current.reading = false;
            // The log could not be read: the client reconnects and resumes from what it has.
            if (!closed) raw.destroy();
          },
        );
        return;
      }
      if (!write(got)) break;
    }
  };
  const heartbeat = setInterval(() => {
    const stalled = blocked;
    if (stalled && stalledAtLastBeat) {
      // Nothing drained for a whole heartbeat: the peer is gone or not reading.
      raw.destroy();
      return;
    }
    stalledAtLastBeat = stalled;
    put(': keep-alive\n\n');
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  function cleanup() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    onClosed();
  }
  raw.on('drain', () => {
    blocked = false;
    pump();
  });
  raw.on('close', cleanup);
  return {
    send(id, event: StreamEvent) {
      if (closed) return;
      // A logged event during a replay is in the log: the replay will reach it in order.
      if (replaying && id !== undefined) return;
      put(frame(id, event));
      if (buffer.writableLength > maxUnsent) {
        raw.destroy();
        cleanup();
      }
    },
    replay(lastEventId, next, done) {
      replaying = { lastId: lastEventId, next, done, reading: false };
      pump();
    },
    close,
  };
}

/** The last event the client saw: the `Last-Event-ID` header, else `?lastEventId=` (manual reconnects). */
export function lastEventIdOf(header: string | string[] | undefined, query: string | undefined): number {
  const raw = (Array.isArray(header) ? header[0] : header) ?? query ?? '';
  return /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
}
