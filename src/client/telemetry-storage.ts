/**
 * Where telemetry keeps anything on the device, and how it is wiped. A small chunk of its own,
 * outside the telemetry chunk, so a page that learns the flag is off can purge what an earlier,
 * telemetry-on visit left behind without loading any telemetry code (../track.ts loads it after
 * the first paint). Purging only reads and deletes: it never creates a key or a database.
 */
export const DEVICE_ID_KEY = 'meet-launcher.telemetry.deviceId';
export const QUEUE_DB_NAME = 'meet-launcher-telemetry';

export async function purgeTelemetryStorage(): Promise<void> {
  try {
    if (localStorage.getItem(DEVICE_ID_KEY) !== null) localStorage.removeItem(DEVICE_ID_KEY);
  } catch {
    // Storage blocked: nothing could have been stored.
  }
  try {
    if (typeof indexedDB === 'undefined') return;
    // databases() lets a page that never had telemetry skip the delete entirely.
    const known = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : undefined;
    if (known && !known.some((d) => d.name === QUEUE_DB_NAME)) return;
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(QUEUE_DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  } catch {
    // IndexedDB unavailable (private mode in some browsers): nothing was persisted.
  }
}
