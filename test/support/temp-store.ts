/** A fresh, seeded store on a temp DATA_DIR for integration tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDemoIfEmpty } from '../../src/server/seed';
import type { Sql } from '../../src/server/sql/sql';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import { type Store, sqliteStore } from '../../src/server/sql/store';

export interface TempStore {
  dataDir: string;
  db: Db;
  /** The same SQLite database behind the store interface. */
  store: Store;
  sql: Sql;
  cleanup(): void;
}

export async function tempStore(): Promise<TempStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-unit-'));
  const db = openDatabase(dataDir);
  const store = sqliteStore(db, dataDir);
  await seedDemoIfEmpty(store.sql);
  return {
    dataDir,
    db,
    store,
    sql: store.sql,
    cleanup() {
      db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The store interface over a database a test opened itself. */
export const storeOf = (db: Db): Store => sqliteStore(db, path.dirname(db.name));
