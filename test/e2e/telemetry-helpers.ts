/**
 * Telemetry QA helpers: read what the service stored straight from its database, see what the page
 * sent, and poke the page the way a browser would (hide it, raise errors, re-read the config).
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import type { TelemetryBatch, TelemetryEvent } from '../../src/shared/telemetry-schema';
import {
  isTelemetryHit,
  isTelemetryRequest,
  type LoggedRequest,
  type PoolServer,
  type ReceivedRequest,
} from './fixtures';

export interface StoredEvent {
  id: string;
  pool: string;
  device_id: string;
  type: string;
  metric: string | null;
  value: number | null;
  data: string;
}

/** Every telemetry row the service stored, read from its SQLite file. */
export function storedEvents(pool: PoolServer): StoredEvent[] {
  const db = new Database(path.join(pool.dataDir, 'meet-launcher.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT id, pool, device_id, type, metric, value, data FROM telemetry_events')
      .all() as StoredEvent[];
  } finally {
    db.close();
  }
}

export const parsed = (row: StoredEvent) => JSON.parse(row.data) as TelemetryEvent & Record<string, unknown>;

/** The batches the page sent (whether or not they arrived), from the browser's request log. */
export function sentBatches(requests: LoggedRequest[]): TelemetryBatch[] {
  return requests
    .filter((r) => isTelemetryRequest(r) && r.body)
    .map((r) => JSON.parse(r.body as string) as TelemetryBatch);
}

/** The batches the server received and answered, beacons included. */
export function receivedBatches(received: ReceivedRequest[]): TelemetryBatch[] {
  return received.filter((r) => isTelemetryHit(r) && r.body).map((r) => JSON.parse(r.body) as TelemetryBatch);
}

export async function setTelemetry(pool: PoolServer, on: boolean): Promise<void> {
  const result = await pool.admin('set', '--MeetingUxEnableTelemetry', String(on));
  if (result.code !== 0) throw new Error(`admin set failed: ${result.stderr}`);
}

/** Makes the page re-read the pool's config now, as it does when it becomes visible again. */
export async function rereadConfig(page: Page): Promise<void> {
  const answered = page.waitForResponse((r) => r.url().endsWith('/config/webservice.json'));
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await answered;
}

/** Raises an "uncaught" error and an unhandled rejection the way the browser reports them. */
export async function raiseErrors(page: Page, tag: string): Promise<void> {
  await page.evaluate((t) => {
    const error = new Error(`boom ${t} at http://127.0.0.1/alice/7Q3DSSYV?secret=1`);
    window.dispatchEvent(new ErrorEvent('error', { message: error.message, error }));
    const reason = new TypeError(`rejected ${t}`);
    const promise = Promise.reject(reason);
    promise.catch(() => {}); // handled here, so only our synthetic event reports it
    window.dispatchEvent(new PromiseRejectionEvent('unhandledrejection', { promise, reason }));
  }, tag);
}

/** The names of the page's IndexedDB databases and storage keys. */
export async function telemetryStorage(page: Page): Promise<{ deviceId: string | null; databases: string[] }> {
  return page.evaluate(async () => ({
    deviceId: localStorage.getItem('meet-launcher.telemetry.deviceId'),
    databases: (await indexedDB.databases()).map((d) => d.name ?? ''),
  }));
}

/** The events waiting in the page's persisted queue (none when the database does not exist). */
export async function persistedEvents(page: Page): Promise<TelemetryEvent[]> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'meet-launcher-telemetry')) return [];
    return new Promise<TelemetryEvent[]>((resolve, reject) => {
      const open = indexedDB.open('meet-launcher-telemetry');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const rows = db.transaction('events').objectStore('events').getAll();
        rows.onsuccess = () => {
          resolve((rows.result as { event: TelemetryEvent }[]).map((row) => row.event));
          db.close();
        };
      };
    });
  });
}

/** How many events wait in the page's persisted queue. */
export async function persistedCount(page: Page): Promise<number> {
  return (await persistedEvents(page)).length;
}
