/** Writes one participant's event stream as server-sent events on a raw HTTP response. */
import type { ServerResponse } from 'node:http';
import type { StreamEvent } from '../../shared/api-schema';
import type { Sink } from './live';

/** Comments keep idle proxies and load balancers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/** How soon the browser's EventSource retries by itself after a network drop. */
export const RETRY_MS = 1_000;

/** `headers`: the response headers every answer carries (security); a hijacked reply skips hooks. */
export function openSseSink(raw: ServerResponse, onClosed: () => void, headers: Record<string, string> = {}): Sink {
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Tells nginx-style proxies not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  raw.write(`retry: ${RETRY_MS}\n\n`);
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let closed = false;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    onClosed();
  };
  raw.on('close', cleanup);
  return {
    send(id, event: StreamEvent) {
      if (closed) return;
      // JSON.stringify escapes line breaks, so one `data:` line always holds the whole event.
      raw.write(`${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(event)}\n\n`);
    },
    close() {
      if (closed) return;
      raw.end();
      cleanup();
    },
  };
}

/** The last event the client saw: the `Last-Event-ID` header, else `?lastEventId=` (manual reconnects). */
export function lastEventIdOf(header: string | string[] | undefined, query: string | undefined): number {
  const raw = (Array.isArray(header) ? header[0] : header) ?? query ?? '';
  return /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
}
