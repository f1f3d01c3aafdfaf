/**
 * How the live meetings of every process on one store hear of each other's changes (live-store.ts
 * lists the messages). The engine wiring chooses one (sql/engine-*.ts):
 * - PostgreSQL: NOTIFY at commit on one channel, every node LISTENing on a dedicated connection
 *   (live-listener.ts);
 * - SQLite: one process owns the file, so an in-process emitter per store that hands the messages
 *   to every live-meetings instance on it once the transaction has committed.
 * Either way messages arrive in commit order, each once per instance, after what they announce is
 * readable.
 */
import type { Sql } from '../sql/sql';
import type { LiveLog } from './live-model';

export interface Subscription {
  /** Resolves once messages are arriving (rejects if they cannot). */
  ready: Promise<void>;
  close(): Promise<void>;
  /** Stops hearing as a cut connection would: `reconnect` false is a killed node (tests). */
  drop(reconnect: boolean): void;
}

export interface Notifier {
  /**
   * Hears every message; `onConnected` runs after each (re)connection, when messages sent
   * meanwhile may have been missed.
   */
  subscribe(onMessage: (payload: string) => void, onConnected: () => void, log: LiveLog): Subscription;
  /** Inside a transaction, just before its commit: `payloads` go out when (and only if) it commits. */
  beforeCommit(tx: Sql, payloads: string[]): Promise<void>;
  /** After that transaction committed. */
  afterCommit(payloads: string[]): void;
  /** One message on its own, now (behind everything committed before it). */
  send(sql: Sql, payload: string): Promise<void>;
  /**
   * A media signal for a participant's streams, wherever they are held, announced as
   * `s:<id>:<participant>`; never replayed, kept `ttlMs` at most. PostgreSQL: a row in
   * live_signals (another node reads it). In-process: kept in memory, with no write (and no fsync)
   * to the file; a restart drops it, as the page starts its media again once its stream is back.
   */
  signal(sql: Sql, participantId: string, event: string, now: number, ttlMs: number): Promise<void>;
  /** The signal `id`, if still kept. */
  signalOf(sql: Sql, id: number): Promise<string | undefined>;
}

/** The in-process notifier: one per store (one process owns an SQLite file). */
export function inProcessNotifier(): Notifier {
  const listeners = new Set<(payload: string) => void>();
  const signals = new Map<number, { event: string; expiresAt: number }>();
  let lastSignal = 0;
  let queued: string[] = [];
  let scheduled = false;
  // Delivered on a later turn of the event loop, in order, as a listener on another connection would.
  const flush = () => {
    scheduled = false;
    const batch = queued;
    queued = [];
    for (const payload of batch) for (const listener of [...listeners]) listener(payload);
  };
  const emit = (payloads: string[]) => {
    queued.push(...payloads);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return {
    subscribe(onMessage, onConnected) {
      let listening = true;
      listeners.add(onMessage);
      const stop = () => {
        listening = false;
        listeners.delete(onMessage);
      };
      return {
        ready: Promise.resolve().then(() => {
          if (listening) onConnected();
        }),
        async close() {
          stop();
        },
        drop(reconnect) {
          stop();
          if (reconnect) {
            listening = true;
            listeners.add(onMessage);
            setImmediate(onConnected);
          }
        },
      };
    },
    async beforeCommit() {},
    afterCommit: emit,
    async send(_sql, payload) {
      emit([payload]);
    },
    async signal(_sql, participantId, event, now, ttlMs) {
      // Oldest first: those past their time are forgotten.
      for (const [id, kept] of signals) {
        if (kept.expiresAt > now) break;
        signals.delete(id);
      }
      const id = ++lastSignal;
      signals.set(id, { event, expiresAt: now + ttlMs });
      emit([`s:${id}:${participantId}`]);
    },
    async signalOf(_sql, id) {
      return signals.get(id)?.event;
    },
  };
}
