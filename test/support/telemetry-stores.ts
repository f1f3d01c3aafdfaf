/**
 * The telemetry tests' stores, one per engine: the seeded SQLite store of helpers.ts, or a fresh
 * database on the run's throwaway PostgreSQL (vitest globalSetup) holding the two demo pools.
 * Store-level suites run once per engine with `describe.each(ENGINES)`.
 */
import { inject } from 'vitest';
import type { Dialect, Sql } from '../../src/server/sql/sql';
import { openPostgresStore, type Store } from '../../src/server/sql/store';
import { freshDatabase } from './postgres';
import { tempStore } from './temp-store';

export const ENGINES: Dialect[] = ['sqlite', 'postgres'];

export const DEMO_POOLS = [
  { fqdn: 'pool01.contoso.com', site: 'Redmond' },
  { fqdn: 'pool02.fabrikam.com', site: 'Dublin' },
];

export interface TelemetryStore {
  engine: Dialect;
  store: Store;
  sql: Sql;
  /** The PostgreSQL database's URL (a second "node" opens its own store on it). */
  url?: string;
  /** DATA_DIR of the SQLite store. */
  dataDir?: string;
  count(table: string, where?: string): Promise<number>;
  cleanup(): Promise<void>;
}

/**
 * The demo pools on a PostgreSQL store. The topology's own tables come from the store area's
 * migration when it is there; until then a stand-in `pools` table holds just what the report reads.
 */
export async function seedPools(sql: Sql): Promise<void> {
  const exists = async (table: string) =>
    (await sql.get<{ t: string | null }>('SELECT to_regclass(?)::text AS t', [table]))?.t != null;
  if (!(await exists('pools'))) await sql.exec('CREATE TABLE pools (fqdn CITEXT PRIMARY KEY, site TEXT NOT NULL)');
  if (await exists('sites'))
    for (const { site } of DEMO_POOLS)
      await sql.run('INSERT INTO sites (name) VALUES (?) ON CONFLICT DO NOTHING', [site]);
  for (const { fqdn, site } of DEMO_POOLS)
    await sql.run('INSERT INTO pools (fqdn, site) VALUES (?, ?) ON CONFLICT DO NOTHING', [fqdn, site]);
}

const counter =
  (sql: Sql) =>
  async (table: string, where = '') =>
    Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} ${where}`))?.n ?? 0);

export async function openTelemetryStore(engine: Dialect): Promise<TelemetryStore> {
  if (engine === 'sqlite') {
    const t = await tempStore();
    return {
      engine,
      store: t.store,
      sql: t.sql,
      dataDir: t.dataDir,
      count: counter(t.sql),
      async cleanup() {
        t.cleanup();
      },
    };
  }
  const db = await freshDatabase(inject('postgresUrl'), 'tm');
  const store = await openPostgresStore(db.url);
  await seedPools(store.sql);
  return {
    engine,
    store,
    sql: store.sql,
    url: db.url,
    count: counter(store.sql),
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
}
