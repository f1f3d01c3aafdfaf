/** The store's SQL interface behaves the same on SQLite and PostgreSQL (test/support/postgres.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migratePostgres } from '../../src/server/sql/pg-migrations';
import { numberPlaceholders } from '../../src/server/sql/sql';
import { openStore, type Store } from '../../src/server/sql/store';
import { freshDatabase } from '../support/postgres';

describe('numberPlaceholders', () => {
  it('numbers ? outside quotes', () => {
    expect(numberPlaceholders(`SELECT ? , '?' , "a?" , ?`)).toBe(`SELECT $1 , '?' , "a?" , $2`);
  });
});

type Opened = { store: Store; cleanup: () => Promise<void> };

const engines: [string, () => Promise<Opened>][] = [
  [
    'sqlite',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-sql-'));
      const store = await openStore({ dataDir });
      const cleanup = async () => {
        await store.close();
        fs.rmSync(dataDir, { recursive: true });
      };
      return { store, cleanup };
    },
  ],
  [
    'postgres',
    async () => {
      const db = await freshDatabase(inject('postgresUrl'));
      const store = await openStore({ dataDir: '', databaseUrl: db.url });
      const cleanup = async () => {
        await store.close();
        await db.drop();
      };
      return { store, cleanup };
    },
  ],
];

describe.each(engines)('Sql on %s', (_name, open) => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await open();
    await opened.store.sql.exec('CREATE TABLE t_sql (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  });
  afterAll(() => opened.cleanup());

  it('runs, reads and counts changes', async () => {
    const { sql } = opened.store;
    expect((await sql.run('INSERT INTO t_sql (k, v) VALUES (?, ?), (?, ?)', ['a', 1, 'b', 2])).changes).toBe(2);
    expect(await sql.get('SELECT v FROM t_sql WHERE k = ?', ['b'])).toEqual({ v: 2 });
    expect(await sql.all('SELECT k FROM t_sql ORDER BY k')).toEqual([{ k: 'a' }, { k: 'b' }]);
    expect(await sql.get('SELECT v FROM t_sql WHERE k = ?', ['zz'])).toBeUndefined();
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const { sql } = opened.store;
    await sql.transaction(async (tx) => {
      await tx.run('INSERT INTO t_sql (k, v) VALUES (?, ?)', ['c', 3]);
    });
    await expect(
      sql.transaction(async (tx) => {
        await tx.run('INSERT INTO t_sql (k, v) VALUES (?, ?)', ['d', 4]);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect((await sql.all('SELECT k FROM t_sql ORDER BY k')).map((r) => r.k)).toEqual(['a', 'b', 'c']);
  });

  it('rolls back only the inner part of a nested transaction that throws', async () => {
    const { sql } = opened.store;
    await sql.transaction(
      async (tx) => {
        await tx.run('INSERT INTO t_sql (k, v) VALUES (?, ?)', ['e', 5]);
        await tx
          .transaction(async (inner) => {
            await inner.run('INSERT INTO t_sql (k, v) VALUES (?, ?)', ['f', 6]);
            throw new Error('inner');
          })
          .catch(() => {});
      },
      { exclusive: true },
    );
    expect((await sql.all('SELECT k FROM t_sql ORDER BY k')).map((r) => r.k)).toEqual(['a', 'b', 'c', 'e']);
  });
});

describe('PostgreSQL migrations', () => {
  it('apply once, however many nodes start together', async () => {
    const db = await freshDatabase(inject('postgresUrl'));
    const pg = (await import('pg')).default;
    const pools = [new pg.Pool({ connectionString: db.url }), new pg.Pool({ connectionString: db.url })];
    try {
      const migrations = [
        { name: 'x-1', sql: 'CREATE TABLE x1 (a INT)' },
        { name: 'x-2', sql: 'CREATE TABLE x2 (a INT)' },
      ];
      const applied = await Promise.all(pools.map((p) => migratePostgres(p, migrations)));
      expect(applied.flat().sort()).toEqual(['x-1', 'x-2']);
      expect(await migratePostgres(pools[0] as never, migrations)).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await db.drop();
    }
  });
});
