/**
 * The store's two engines for integration tests that run the same cases on both: an empty location
 * (no store made yet) on SQLite (a temp DATA_DIR) or PostgreSQL (a fresh database on the run's
 * throwaway server, see test/support/postgres.ts), and what each holds, to compare before/after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { DATABASE_FILE } from '../../src/server/sql/sqlite-db';
import { redactUrl, type StoreLocation } from '../../src/server/sql/store';
import { freshDatabase } from './postgres';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: Engine[] = ['sqlite', 'postgres'];

export interface EngineLocation {
  engine: Engine;
  location: StoreLocation;
  /** How messages name the store: the folder, or the URL without its password. */
  where: string;
  cleanup(): Promise<void>;
}

export async function emptyLocation(engine: Engine): Promise<EngineLocation> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-engine-'));
  const dataDir = path.join(root, 'data');
  if (engine === 'sqlite') {
    return {
      engine,
      location: { dataDir },
      where: dataDir,
      async cleanup() {
        fs.rmSync(root, { recursive: true, force: true });
      },
    };
  }
  const database = await freshDatabase(inject('postgresUrl'));
  return {
    engine,
    location: { dataDir, databaseUrl: database.url },
    where: redactUrl(database.url),
    async cleanup() {
      await database.drop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Every table and every row of the store (empty when nothing was made). */
export async function storeContents(location: StoreLocation): Promise<Record<string, unknown[]>> {
  const contents: Record<string, unknown[]> = {};
  if (!location.databaseUrl) {
    const file = path.join(location.dataDir, DATABASE_FILE);
    if (!fs.existsSync(file)) return contents;
    const db = new Database(file, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[];
      for (const { name } of tables) contents[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all();
    } finally {
      db.close();
    }
    return contents;
  }
  const client = new pg.Client({ connectionString: location.databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    for (const { name } of tables.rows) {
      // Whole rows as text give a total order, whatever the columns.
      contents[name] = (await client.query(`SELECT * FROM "${name}" t ORDER BY t::text`)).rows;
    }
  } finally {
    await client.end();
  }
  return contents;
}
