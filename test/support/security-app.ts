/** A real app on a temp DATA_DIR (a real SQLite store) and a tiny fake dist/, for app.inject tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../../src/server/app';
import { seedDemoIfEmpty } from '../../src/server/seed';
import type { Sql } from '../../src/server/sql/sql';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import { type Store, sqliteStore } from '../../src/server/sql/store';

export const FAKE_INDEX =
  '<!doctype html><html><head><title>Join meeting</title></head><body><div id="app"></div></body></html>';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  store: Store;
  sql: Sql;
  root: string;
  close(): Promise<void>;
}

export async function startTestApp(options: Partial<AppOptions> = {}): Promise<TestApp> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-unit-'));
  const dist = path.join(root, 'dist');
  fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
  fs.mkdirSync(path.join(dist, '.vite'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'index.html'), FAKE_INDEX);
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log("entry");');
  fs.writeFileSync(path.join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  fs.writeFileSync(path.join(dist, '.vite', 'manifest.json'), '{"secret":"build manifest"}');
  // A file beside dist/ that traversal would reach.
  fs.writeFileSync(path.join(root, 'outside.txt'), 'OUTSIDE-SECRET');
  const db = openDatabase(path.join(root, 'data'));
  const store = sqliteStore(db, path.join(root, 'data'));
  await seedDemoIfEmpty(store.sql);
  const app = await buildApp({ store, secret: Buffer.alloc(32, 7), distDir: dist, ...options });
  await app.ready();
  return {
    app,
    db,
    store,
    sql: store.sql,
    root,
    async close() {
      await app.close();
      db.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Row counts of every table: "the store is intact" means these do not move. */
export function storeSnapshot(db: Db): Record<string, unknown> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[];
  const snapshot: Record<string, unknown> = {};
  for (const { name } of tables) snapshot[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all();
  return snapshot;
}
