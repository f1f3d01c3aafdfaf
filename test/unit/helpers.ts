/** A fresh, seeded store on a temp DATA_DIR for unit tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Db, openDatabase } from '../../src/server/db';
import { seedDemoIfEmpty } from '../../src/server/seed';

export interface TempStore {
  dataDir: string;
  db: Db;
  cleanup(): void;
}

export function tempStore(): TempStore {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-unit-'));
  const db = openDatabase(dataDir);
  seedDemoIfEmpty(db);
  return {
    dataDir,
    db,
    cleanup() {
      db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
