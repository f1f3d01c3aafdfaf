/**
 * One participant's event stream, kept open through network trouble. EventSource retries a dropped
 * connection by itself (sending `Last-Event-ID`); when it gives up (an error answer), a new one is
 * opened after a backoff with the last seen id in its URL, so the server resumes after it. When the
 * device says it went offline, the stream is dropped at once (a dead connection can look open for
 * minutes) and reopened the moment the device is back online.
 */
import type { StreamEvent } from '../../shared/api-schema';

export type StreamStatus = 'connecting' | 'connected' | 'reconnecting';

export interface StreamHandlers {
  event(event: StreamEvent): void;
  status(status: StreamStatus): void;
  /** Called once per outage, when a connected stream drops. */
  dropped(): void;
  /** The server refused the stream: resolves false when retrying is pointless (no longer a participant). */
  refused(): Promise<boolean>;
}

const MAX_BACKOFF_MS = 10_000;

export function openEventStream(urlFor: (lastEventId: string) => string, on: StreamHandlers): () => void {
  let source: EventSource | undefined;
  let lastEventId = '';
  let failures = 0;
  let wasConnected = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    source = new EventSource(urlFor(lastEventId));
    source.onopen = () => {
      failures = 0;
      wasConnected = true;
      on.status('connected');
    };
    source.onmessage = (message) => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      let event: StreamEvent;
      try {
        event = JSON.parse(message.data) as StreamEvent;
      } catch {
        return; // not ours to guess at
      }
      on.event(event);
    };
    source.onerror = () => {
      if (stopped || !source) return;
      markDropped();
      if (source.readyState === EventSource.CLOSED) {
        source = undefined;
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures++);
        void on.refused().then((retry) => {
          if (retry && !stopped && !source) timer = setTimeout(open, delay);
        });
      }
    };
  };
  const markDropped = () => {
    if (wasConnected) {
      wasConnected = false;
      on.dropped();
    }
    on.status('reconnecting');
  };
  const onOffline = () => {
    clearTimeout(timer);
    source?.close();
    source = undefined;
    markDropped();
  };
  const onOnline = () => {
    if (source || stopped) return;
    clearTimeout(timer);
    open();
  };
  addEventListener('offline', onOffline);
  addEventListener('online', onOnline);
  on.status('connecting');
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
    removeEventListener('offline', onOffline);
    removeEventListener('online', onOnline);
  };
}
