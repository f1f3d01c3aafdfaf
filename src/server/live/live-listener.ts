/**
 * One dedicated PostgreSQL connection that LISTENs on the live channel, reconnecting (with a
 * growing pause, up to MAX_RETRY_MS) whenever it drops. Notifications sent while it was down are
 * lost by PostgreSQL: `onConnected` runs after every (re)connection so the node can read again
 * what it may have missed. TCP keep-alive finds a connection that died silently.
 */
import pg from 'pg';
import type { Param } from '../sql/sql';
import type { LiveLog } from './live-model';
import type { Notifier } from './live-notifier';

/** The one channel every node LISTENs on. */
export const LIVE_CHANNEL = 'meet_live';

/** PostgreSQL's notifier (live-notifier.ts): NOTIFY at commit, LISTEN on a connection of its own. */
export function postgresNotifier(url: string): Notifier {
  return {
    subscribe: (onMessage, onConnected, log) => listen(url, LIVE_CHANNEL, onMessage, onConnected, log),
    async beforeCommit(tx, payloads) {
      // Delivered at commit, in this order (one row per payload, in array order), to every node.
      await tx.all('SELECT pg_notify(?, p) FROM unnest(?::text[]) AS p', [LIVE_CHANNEL, payloads as unknown as Param]);
    },
    afterCommit() {},
    async send(sql, payload) {
      await sql.all('SELECT pg_notify(?, ?)', [LIVE_CHANNEL, payload]);
    },
    async signal(sql, participantId, event, now) {
      // One statement: the row and its notification commit together (the sweep deletes old rows).
      await sql.all(
        `WITH s AS (INSERT INTO live_signals (participant_id, event, created_at) VALUES (?, ?, ?) RETURNING id)
         SELECT pg_notify(?, 's:' || s.id || ':' || ?) FROM s`,
        [participantId, event, now, LIVE_CHANNEL, participantId],
      );
    },
    async signalOf(sql, id) {
      return (await sql.get<{ event: string }>('SELECT event FROM live_signals WHERE id = ?', [id]))?.event;
    },
  };
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

export interface Listener {
  /** Resolves once the first LISTEN is in place (rejects if the first connection fails). */
  ready: Promise<void>;
  /** Ends the connection for good (no reconnect). */
  close(): Promise<void>;
  /** Drops the connection without ending it (a dead node, or a network cut: tests). */
  drop(reconnect: boolean): void;
}

export function listen(
  url: string,
  channel: string,
  onNotification: (payload: string) => void,
  onConnected: () => void,
  log: LiveLog,
): Listener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = FIRST_RETRY_MS;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch(() => {});
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url, keepAlive: true });
    client = next;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      next.removeAllListeners('notification');
      if (closed) return;
      log.warn({ err: error?.message }, 'live notifications: connection lost, reconnecting');
      scheduleReconnect();
    };
    next.on('error', onLost);
    next.on('end', () => onLost());
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload) onNotification(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      next.end().catch(() => {});
      onLost(error as Error);
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    retryMs = FIRST_RETRY_MS;
    onConnected();
  }

  return {
    ready: connect(),
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await client?.end().catch(() => {});
    },
    drop(reconnect) {
      if (!reconnect) closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      // Destroying the socket is what a crash or a cut cable looks like from here.
      (client as unknown as { connection?: { stream?: { destroy(): void } } })?.connection?.stream?.destroy();
    },
  };
}
