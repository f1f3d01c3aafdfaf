/**
 * backup, restore and version. On SQLite, backup copies the live store with SQLite's online backup
 * (consistent while the service writes) into one private file that also carries the telemetry
 * secret, and restore makes a store from such a file in an empty DATA_DIR only, so it can never
 * replace a store, live or not. On PostgreSQL both say which pg_dump / pg_restore lines to run.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildInfo } from '../entry/build-info';
import { SECRET_FILE } from '../secrets/secret';
import { DATABASE_FILE, openDatabase, storeExists } from '../sql/sqlite-db';
import { SCHEMA_VERSION } from '../sql/sqlite-migrations';
import type { StoreLocation } from '../sql/store';
import type { Command } from './args';
import { CliError, text } from './context';
import { postgresBackupLines } from './pg-dump-lines';

/** The backup file carries DATA_DIR's secret in this meta row; restore moves it back to its file. */
const SECRET_ROW = 'backup_telemetry_secret';

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function targetOf(command: Command, dataDir: string): string {
  const target = path.resolve(text(command, 'Path') as string);
  if (isInside(target, dataDir))
    throw new CliError(
      `-Path ${target} is inside DATA_DIR: put the backup elsewhere (it would be lost with the store).`,
    );
  if (!fs.existsSync(path.dirname(target))) throw new CliError(`There is no folder ${path.dirname(target)}.`);
  if (fs.existsSync(target) && !fs.statSync(target).isFile()) throw new CliError(`${target} is not a file.`);
  return target;
}

async function backupSqlite(command: Command, dataDir: string): Promise<string[]> {
  if (!storeExists(dataDir))
    throw new CliError(`There is no store in ${dataDir}: check DATA_DIR, or create one there with "init".`);
  const target = targetOf(command, dataDir);
  // Written beside the target, private from its first byte, then renamed over it: an existing
  // target (whatever its mode) is replaced whole, and a failed backup leaves it as it was.
  const partial = `${target}.partial-${process.pid}`;
  fs.writeFileSync(partial, '', { mode: 0o600, flag: 'wx' });
  const secretFile = path.join(dataDir, SECRET_FILE);
  const withSecret = fs.existsSync(secretFile);
  try {
    // Opened as every verb opens it: brought to this release's schema first (a no-op when the
    // service runs the same release), so the copy has the meta table that carries the secret.
    const source = openDatabase(dataDir);
    try {
      // A write by the service restarts SQLite's copy; after the first step the rest goes in one
      // step, so a busy service cannot keep the backup from finishing.
      await source.backup(partial, { progress: ({ remainingPages }) => Math.max(remainingPages, 1) });
    } finally {
      source.close();
    }
    const copy = new Database(partial, { fileMustExist: true });
    try {
      // One self-contained file: no -wal beside it.
      copy.pragma('journal_mode = DELETE');
      if (withSecret)
        copy
          .prepare(
            'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
          )
          .run(SECRET_ROW, fs.readFileSync(secretFile).toString('hex'));
    } finally {
      copy.close();
    }
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  const megabytes = (fs.statSync(target).size / 1024 / 1024).toFixed(1);
  return [
    `Backed up ${dataDir} to ${target} (${megabytes} MB, mode 0600${withSecret ? ', with the telemetry secret' : ''}). Restore it into an empty DATA_DIR with "restore -Path ${target}".`,
  ];
}

/** What the backup file is: a meet-launcher store of this schema version or an earlier one. */
function checkBackup(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const meta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (version === 0 || !meta) throw new CliError(`${file} is not a meet-launcher store.`);
  if (version > SCHEMA_VERSION)
    throw new CliError(
      `${file} was made by a newer meet-launcher (schema ${version}; this one knows ${SCHEMA_VERSION}): restore it with that version.`,
    );
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') throw new CliError(`${file} is damaged (${String(check)}).`);
}

async function restoreSqlite(command: Command, dataDir: string): Promise<string[]> {
  const source = path.resolve(text(command, 'Path') as string);
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new CliError(`There is no file ${source}.`);
  const existed = fs.existsSync(dataDir);
  if (existed && fs.readdirSync(dataDir).length > 0)
    throw new CliError(
      `${dataDir} is not empty: restore only fills an empty DATA_DIR, never over a store. Stop the service, move that folder aside, and run restore again.`,
    );
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  const staging = path.join(dataDir, `${DATABASE_FILE}.restoring`);
  let counts: { pools: number; meetings: number };
  let secret: string | undefined;
  try {
    fs.writeFileSync(staging, '', { mode: 0o600, flag: 'wx' });
    fs.copyFileSync(source, staging);
    fs.chmodSync(staging, 0o600);
    let db: Database.Database;
    try {
      db = new Database(staging, { fileMustExist: true });
      db.pragma('user_version', { simple: true });
    } catch {
      throw new CliError(`${source} is not a meet-launcher store.`);
    }
    try {
      checkBackup(db, source);
      const row = db.prepare('SELECT value FROM meta WHERE name = ?').get(SECRET_ROW) as { value: string } | undefined;
      secret = row?.value;
      db.prepare('DELETE FROM meta WHERE name = ?').run(SECRET_ROW);
    } finally {
      db.close();
    }
    fs.renameSync(staging, path.join(dataDir, DATABASE_FILE));
    if (secret !== undefined)
      fs.writeFileSync(path.join(dataDir, SECRET_FILE), Buffer.from(secret, 'hex'), { mode: 0o600, flag: 'wx' });
    // Brings a backup of an earlier version to this one's schema, as the service would on start.
    const store = openDatabase(dataDir);
    try {
      counts = store
        .prepare('SELECT (SELECT count(*) FROM pools) AS pools, (SELECT count(*) FROM meetings) AS meetings')
        .get() as {
        pools: number;
        meetings: number;
      };
    } finally {
      store.close();
    }
  } catch (error) {
    // Leave DATA_DIR as it was found: empty (or not there at all).
    if (existed) for (const name of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, name), { force: true });
    else fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return [
    `Restored ${source} into ${dataDir}: ${counts.pools} pools, ${counts.meetings} meetings${
      secret === undefined
        ? '; the backup had no telemetry secret, so the service makes a new one'
        : ', and the telemetry secret'
    }. Start the service.`,
  ];
}

async function backup(command: Command, location: StoreLocation): Promise<string[]> {
  if (location.databaseUrl)
    throw new CliError(postgresBackupLines(location.databaseUrl, text(command, 'Path') as string));
  return backupSqlite(command, location.dataDir);
}

async function restore(command: Command, location: StoreLocation): Promise<string[]> {
  if (location.databaseUrl)
    throw new CliError(postgresBackupLines(location.databaseUrl, text(command, 'Path') as string));
  return restoreSqlite(command, location.dataDir);
}

async function version(command: Command): Promise<string[]> {
  const info = buildInfo();
  if (command.json) return [JSON.stringify(info)];
  return [`meet-launcher ${info.version} (commit ${info.commit ?? 'unknown'}, node ${info.node})`];
}

export const OPS_HANDLERS: Record<
  'backup' | 'restore' | 'version',
  (command: Command, location: StoreLocation) => Promise<string[]>
> = {
  backup,
  restore,
  version,
};
