/**
 * The persisted queue: events recorded while telemetry is on, kept in IndexedDB (one database per
 * origin, i.e. per pool) until the service has stored them, so a reload, a crash or a closed tab
 * loses nothing. Capped in count and age. Each row names the tab that owns it; a tab holds a Web
 * Lock for its lifetime, and a starting tab adopts only rows whose owner no longer holds its lock,
 * under an exclusive lock, so two open tabs never send each other's events. Without Web Locks a
 * tab adopts every row; the service's dedupe by event id still stores each event once.
 *
 * Why raw IndexedDB and not the `idb` wrapper: the telemetry chunk (web-vitals included) has a
 * budget of 8 KB gzip and is at about 7.2 KB; idb's wrapper adds about 1.2 KB. The promise helpers
 * it would replace are the few lines of `done` and `write` below.
 */
import type { TelemetryEvent } from '../../shared/telemetry-schema';
import { QUEUE_DB_NAME } from '../telemetry-storage';

export const MAX_PERSISTED = 1000;
export const MAX_AGE_MS = 7 * 86_400_000;
const STORE = 'events';
const TAB_LOCK = `${QUEUE_DB_NAME}:tab:`;

interface Row {
  id: string;
  owner: string;
  at: number;
  event: TelemetryEvent;
}

export interface QueueStore {
  /**
   * Whether no other open tab can adopt this tab's rows (Web Locks): only then may a row be
   * rewritten in place (an open usage counter), since an adopted copy would reach the service first.
   */
  readonly exclusive: boolean;
  /** Resolves once written (callers need not wait: the in-memory queue is the source of truth). */
  put(events: TelemetryEvent[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** This tab's rows and orphans of closed tabs, oldest first; rows past the age cap are deleted. */
  adopt(): Promise<TelemetryEvent[]>;
  close(): void;
}

const done = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error);
  });

const tabLocksTaken = new Set<string>();

export async function openQueueStore(owner: string): Promise<QueueStore | undefined> {
  if (typeof indexedDB === 'undefined') return undefined;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(QUEUE_DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' }).createIndex('at', 'at');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }).catch(() => undefined);
  if (!db) return undefined;
  // Another tab is deleting the database because the pool turned telemetry off: let it.
  db.onversionchange = () => db.close();
  const locks = typeof navigator === 'object' && typeof navigator.locks === 'object' ? navigator.locks : undefined;
  if (locks && !tabLocksTaken.has(owner)) {
    tabLocksTaken.add(owner);
    void locks.request(TAB_LOCK + owner, () => new Promise<never>(() => {}));
  }
  const write = async (fn: (store: IDBObjectStore) => void) => {
    try {
      const tx = db.transaction(STORE, 'readwrite');
      fn(tx.objectStore(STORE));
      await done(tx);
    } catch {
      // Closed (purged by another tab) or quota: the in-memory queue still delivers this session.
    }
  };

  const adoptRows = async (live: Set<string> | undefined): Promise<TelemetryEvent[]> => {
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const rows = await new Promise<Row[]>((resolve) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result as Row[]);
    });
    const now = Date.now();
    const adopted: Row[] = [];
    for (const row of rows) {
      if (row.at < now - MAX_AGE_MS) store.delete(row.id);
      else if (row.owner === owner || !live?.has(row.owner)) {
        if (row.owner !== owner) store.put({ ...row, owner });
        adopted.push(row);
      }
    }
    await done(tx);
    return adopted.sort((a, b) => a.at - b.at).map((row) => row.event);
  };

  return {
    exclusive: locks !== undefined,
    put(events) {
      const at = Date.now();
      return write((store) => {
        for (const event of events) store.put({ id: event.id, owner, at, event } satisfies Row);
        // Past the cap, the oldest rows go first.
        const count = store.count();
        count.onsuccess = () => {
          let excess = count.result - MAX_PERSISTED;
          if (excess <= 0) return;
          store.index('at').openCursor().onsuccess = function () {
            const cursor = this.result;
            if (!cursor || excess-- <= 0) return;
            cursor.delete();
            cursor.continue();
          };
        };
      });
    },
    remove(ids) {
      return write((store) => {
        for (const id of ids) store.delete(id);
      });
    },
    async adopt() {
      try {
        if (!locks) return await adoptRows(undefined);
        return await locks.request(`${QUEUE_DB_NAME}:adopt`, async () => {
          const { held = [], pending = [] } = await locks.query();
          const live = new Set(
            [...held, ...pending]
              .map((l) => l.name ?? '')
              .filter((n) => n.startsWith(TAB_LOCK))
              .map((n) => n.slice(TAB_LOCK.length)),
          );
          return adoptRows(live);
        });
      } catch {
        return [];
      }
    },
    close: () => db.close(),
  };
}
