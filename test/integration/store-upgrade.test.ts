/**
 * Upgrades: a store made by an earlier version (SQLite: a file with only the first migrations, its
 * user_version saying so; PostgreSQL: only the first named migrations applied) is brought to the
 * current schema when the service (or an admin verb) opens it, and keeps every row it had. On
 * PostgreSQL, nodes upgrading at once apply each migration once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { parseCommandLine } from '../../src/server/admin/args';
import { runCommand } from '../../src/server/admin/commands';
import { migratePostgres, MIGRATIONS as PG_MIGRATIONS } from '../../src/server/sql/pg-migrations';
import { DATABASE_FILE } from '../../src/server/sql/sqlite-db';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/server/sql/sqlite-migrations';
import { openStore, type StoreLocation } from '../../src/server/sql/store';
import { findMeeting } from '../../src/server/store/meetings';
import { meetingKey } from '../../src/shared/meeting-url';
import { freshDatabase } from '../support/postgres';

const MEETING = { organizer: 'alice', conferenceId: 'KEPT2345' };

/** Rows every schema version has had since the first: a site, a pool on a host, a meeting, a document. */
const OLD_ROWS: [string, unknown[]][] = [
  ['INSERT INTO sites (name) VALUES (?)', ['Redmond']],
  ['INSERT INTO pools (fqdn, site) VALUES (?, ?)', ['pool01.contoso.com', 'Redmond']],
  ['INSERT INTO hosts (hostname, pool) VALUES (?, ?)', ['meet.contoso.com', 'pool01.contoso.com']],
  [
    'INSERT INTO meetings (key, organizer, conference_id, pool, organizer_uri, subject, lobby, organizer_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [
      meetingKey(MEETING),
      'alice',
      'KEPT2345',
      'pool01.contoso.com',
      'sip:alice@contoso.com',
      'Made before the upgrade',
      1,
      'organizer-key-kept',
    ],
  ],
  ['INSERT INTO config_documents (identity, document) VALUES (?, ?)', ['Global', '{"MeetingUxEnableTelemetry":true}']],
];

async function expectKept(location: StoreLocation): Promise<void> {
  const store = await openStore(location);
  try {
    expect(await findMeeting(store.sql, MEETING)).toMatchObject({
      pool: 'pool01.contoso.com',
      subject: 'Made before the upgrade',
      lobby: true,
      organizerKey: 'organizer-key-kept',
    });
    expect(await store.sql.get('SELECT document FROM config_documents WHERE identity = ?', ['Global'])).toEqual({
      document: '{"MeetingUxEnableTelemetry":true}',
    });
  } finally {
    await store.close();
  }
  // The admin verbs work on it as on any store of this version.
  const topology = JSON.parse((await runCommand(parseCommandLine(['topology', '--json']), location))[0] as string);
  expect(topology.sites).toEqual([
    {
      name: 'Redmond',
      pools: [expect.objectContaining({ fqdn: 'pool01.contoso.com', webHosts: ['meet.contoso.com'] })],
    },
  ]);
}

describe('SQLite', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-upgrade-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([1, SCHEMA_VERSION - 1])(
    'upgrades a store of schema version %i to the current one, keeping its rows',
    async (version) => {
      expect(version).toBeLessThan(SCHEMA_VERSION);
      const dataDir = path.join(root, 'data');
      fs.mkdirSync(dataDir, { mode: 0o700 });
      const old = new Database(path.join(dataDir, DATABASE_FILE));
      old.pragma('journal_mode = WAL');
      for (const migration of MIGRATIONS.slice(0, version)) old.exec(migration);
      old.pragma(`user_version = ${version}`);
      for (const [statement, values] of OLD_ROWS) old.prepare(statement).run(...values);
      old.close();

      await expectKept({ dataDir });
      const upgraded = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
      expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      upgraded.close();
    },
  );

  it('refuses a store made by a newer release, and leaves it as it was', async () => {
    const dataDir = path.join(root, 'data');
    await runCommand(parseCommandLine(['init']), { dataDir });
    const file = path.join(dataDir, DATABASE_FILE);
    const newer = new Database(file);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    const before = fs.readFileSync(file);
    await expect(openStore({ dataDir })).rejects.toThrow(
      `the store in ${file} has schema ${SCHEMA_VERSION + 1}, newer than this release's ${SCHEMA_VERSION}: run the release that made it`,
    );
    expect(fs.readFileSync(file)).toEqual(before);
  });
});

describe('PostgreSQL', () => {
  it('upgrades a database that has only the first migration, each remaining one applied once by nodes starting together', async () => {
    const database = await freshDatabase(inject('postgresUrl'));
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    try {
      await migratePostgres(pool, PG_MIGRATIONS.slice(0, 1));
      for (const [statement, values] of OLD_ROWS) {
        let n = 0;
        await pool.query(
          statement.replace(/\?/g, () => `$${++n}`),
          values,
        );
      }
      await pool.query("INSERT INTO meta (name, value) VALUES ('kind', 'production')");
      // Two nodes start at once on the old database.
      const [a, b] = await Promise.all([migratePostgres(pool), migratePostgres(pool)]);
      expect([...a, ...b].sort()).toEqual(
        PG_MIGRATIONS.slice(1)
          .map((m) => m.name)
          .sort(),
      );
      const recorded = await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(recorded.rows.map((r) => r.name)).toEqual(PG_MIGRATIONS.map((m) => m.name).sort());
      await expectKept({ dataDir: path.join(os.tmpdir(), 'ml-unused'), databaseUrl: database.url });
    } finally {
      await pool.end();
      await database.drop();
    }
  });
});
