/**
 * The benches' floor: POST /bench/bare parses a batch and inserts its events, one transaction per
 * request, with no validation, hashing, limits or group commit, on either engine. The ingest bench
 * measures the real route against it in the same run, so its budgets are ratios this machine
 * cannot move.
 */
import type { Store } from '../../src/server/sql/store';

export const BARE_PATH = '/bench/bare';

export interface BareBody {
  deviceId: string;
  events: { id: string; type: string }[];
}

export async function bareRoute(store: Store): Promise<(body: BareBody) => Promise<void>> {
  if (store.dialect === 'sqlite') {
    const { db } = store;
    db.exec(
      'CREATE TABLE IF NOT EXISTS bench_bare (id TEXT PRIMARY KEY, device_id TEXT, type TEXT, data TEXT) WITHOUT ROWID',
    );
    const insert = db.prepare('INSERT OR IGNORE INTO bench_bare (id, device_id, type, data) VALUES (?, ?, ?, ?)');
    const insertAll = db.transaction((body: BareBody) => {
      for (const event of body.events) insert.run(event.id, body.deviceId, event.type, JSON.stringify(event));
    });
    return async (body) => insertAll(body);
  }
  await store.sql.exec(
    'CREATE TABLE IF NOT EXISTS bench_bare (id TEXT COLLATE "C" PRIMARY KEY, device_id TEXT, type TEXT, data TEXT)',
  );
  return async (body) => {
    await store.pool.query(
      `INSERT INTO bench_bare (id, device_id, type, data)
       SELECT id, $2, type, data FROM unnest($1::text[], $3::text[], $4::text[]) AS e(id, type, data)
       ON CONFLICT (id) DO NOTHING`,
      [
        body.events.map((e) => e.id),
        body.deviceId,
        body.events.map((e) => e.type),
        body.events.map((e) => JSON.stringify(e)),
      ],
    );
  };
}
