/**
 * backup -Path FILE and restore -Path FILE. SQLite: an online backup taken while a running service
 * holds the store (its latest writes still in the WAL) comes out 0600 (also over a file that was
 * readable by all), and restores into an empty DATA_DIR as a store with the same data and telemetry
 * secret; restore never goes over a store, never leaves half a store, refuses files that are not
 * stores. PostgreSQL: both refuse and print the pg_dump / pg_restore lines, without the password.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/server/admin/args';
import { CliError, runCommand } from '../../src/server/admin/commands';
import { pgDumpCommands } from '../../src/server/admin/pg-dump-lines';
import { SECRET_FILE } from '../../src/server/secret';
import { DATABASE_FILE } from '../../src/server/sql/sqlite-db';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/server/sql/sqlite-migrations';
import type { StoreLocation } from '../../src/server/sql/store';
import { emptyLocation } from '../support/engines';
import { type SeededMeeting, seedTopology } from '../support/topology';

let root: string;
let dataDir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-backup-'));
  dataDir = path.join(root, 'data');
});
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

const admin = (location: StoreLocation, ...argv: string[]) => runCommand(parseCommandLine(argv), location);
const json = async (location: StoreLocation, ...argv: string[]) =>
  JSON.parse((await admin(location, ...argv, '--json'))[0] as string);
const mode = (file: string) => fs.statSync(file).mode & 0o777;

async function storeWithData(location: StoreLocation) {
  const { meetings } = await seedTopology(location, {
    pools: [{ identity: 'pool01.contoso.com', site: 'Redmond', webHost: 'meet.contoso.com', sipDomain: 'contoso.com' }],
    meetings: [{ organizer: 'alice@contoso.com', subject: 'Before the backup' }],
  });
  return meetings[0] as SeededMeeting;
}

/** The production service on this DATA_DIR (it makes the telemetry secret and holds the store open). */
function serve(): Promise<void> {
  const distDir = path.join(root, 'dist');
  fs.mkdirSync(distDir, { recursive: true });
  fs.writeFileSync(path.join(distDir, 'index.html'), '<!doctype html><title>Join meeting</title>');
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/serve.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, DIST_DIR: distDir, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('pool web service on')) resolve();
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

describe('on SQLite', () => {
  it('backs up while the service holds the store, 0600 over a file readable by all, and restores it into an empty DATA_DIR', async () => {
    const at = { dataDir };
    const before = await storeWithData(at);
    await serve();
    // Written while the service has the store open: in the WAL, not yet in the main file.
    const during = await json(at, 'new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', 'While it runs');
    expect(fs.statSync(path.join(dataDir, `${DATABASE_FILE}-wal`)).size).toBeGreaterThan(0);
    const file = path.join(root, 'nightly.sqlite');
    fs.writeFileSync(file, 'an older backup', { mode: 0o644 });
    fs.chmodSync(file, 0o644);

    const [line] = await admin(at, 'backup', '-Path', file);
    expect(line).toMatch(
      new RegExp(`^Backed up ${dataDir} to ${file} \\([\\d.]+ MB, mode 0600, with the telemetry secret\\)`),
    );
    expect(mode(file)).toBe(0o600);
    expect(fs.readdirSync(root).sort()).toEqual(['data', 'dist', 'nightly.sqlite']); // no partial or -wal left

    const restored = { dataDir: path.join(root, 'restored') };
    expect((await admin(restored, 'restore', '-Path', file))[0]).toBe(
      `Restored ${file} into ${restored.dataDir}: 1 pools, 2 meetings, and the telemetry secret. Start the service.`,
    );
    expect(mode(restored.dataDir)).toBe(0o700);
    expect(mode(path.join(restored.dataDir, DATABASE_FILE))).toBe(0o600);
    expect(mode(path.join(restored.dataDir, SECRET_FILE))).toBe(0o600);
    expect(fs.readFileSync(path.join(restored.dataDir, SECRET_FILE))).toEqual(
      fs.readFileSync(path.join(dataDir, SECRET_FILE)),
    );
    const links = (await json(restored, 'meetings')).meetings.map((m: { guestLink: string }) => m.guestLink).sort();
    expect(links).toEqual([before.guestLink, during.guestLink].sort());
    // The secret travels in the file only: the restored store does not keep a copy of it.
    const db = new Database(path.join(restored.dataDir, DATABASE_FILE), { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM meta WHERE name LIKE '%secret%'").get()).toEqual({ n: 0 });
    db.close();
  }, 60_000);

  it('restore refuses a DATA_DIR that holds anything, and leaves it exactly as it was', async () => {
    const at = { dataDir };
    await storeWithData(at);
    const file = path.join(root, 'backup.sqlite');
    // No service ever started here: no telemetry secret yet, and the backup says so.
    expect((await admin(at, 'backup', '-Path', file))[0]).toMatch(
      / MB, mode 0600\)\. Restore it into an empty DATA_DIR/,
    );
    const before = fs.readFileSync(path.join(dataDir, DATABASE_FILE));
    const refused = admin(at, 'restore', '-Path', file);
    await expect(refused).rejects.toThrow(CliError);
    await expect(admin(at, 'restore', '-Path', file)).rejects.toThrow(
      `${dataDir} is not empty: restore only fills an empty DATA_DIR, never over a store.`,
    );
    expect(fs.readFileSync(path.join(dataDir, DATABASE_FILE))).toEqual(before);

    const other = path.join(root, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'notes.txt'), 'mine');
    await expect(admin({ dataDir: other }, 'restore', '-Path', file)).rejects.toThrow(/is not empty/);
    expect(fs.readdirSync(other)).toEqual(['notes.txt']);
  });

  it('restore refuses a file that is not a store, or from a newer schema, and leaves no half store behind', async () => {
    const target = { dataDir: path.join(root, 'target') };
    const notStore = path.join(root, 'notes.txt');
    fs.writeFileSync(notStore, 'not a database at all, just some text that is long enough');
    await expect(admin(target, 'restore', '-Path', notStore)).rejects.toThrow(
      `${notStore} is not a meet-launcher store.`,
    );
    expect(fs.existsSync(target.dataDir)).toBe(false);

    const otherDb = path.join(root, 'other.sqlite');
    new Database(otherDb).exec('CREATE TABLE t (x)').close();
    await expect(admin(target, 'restore', '-Path', otherDb)).rejects.toThrow(
      `${otherDb} is not a meet-launcher store.`,
    );

    await storeWithData({ dataDir });
    const newer = path.join(root, 'newer.sqlite');
    await admin({ dataDir }, 'backup', '-Path', newer);
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    fs.mkdirSync(target.dataDir); // an empty folder that exists stays, empty
    await expect(admin(target, 'restore', '-Path', newer)).rejects.toThrow(
      `was made by a newer meet-launcher (schema ${SCHEMA_VERSION + 1}; this one knows ${SCHEMA_VERSION})`,
    );
    expect(fs.readdirSync(target.dataDir)).toEqual([]);
    await expect(admin(target, 'restore', '-Path', path.join(root, 'missing.sqlite'))).rejects.toThrow(
      /^There is no file /,
    );
  });

  it('backs up a store of the first schema version (bringing it to this one first), and restores it', async () => {
    fs.mkdirSync(dataDir, { mode: 0o700 });
    const old = new Database(path.join(dataDir, DATABASE_FILE));
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old.prepare('INSERT INTO sites (name) VALUES (?)').run('Redmond');
    old.close();
    const file = path.join(root, 'old.sqlite');
    await admin({ dataDir }, 'backup', '-Path', file);
    const restored = { dataDir: path.join(root, 'restored') };
    expect((await admin(restored, 'restore', '-Path', file))[0]).toMatch(
      /: 0 pools, 0 meetings; the backup had no telemetry secret, so the service makes a new one\. Start the service\.$/,
    );
    expect((await json(restored, 'topology')).sites).toEqual([{ name: 'Redmond', pools: [] }]);
  });

  it('backup refuses a missing store, a file inside DATA_DIR and a missing folder, writing nothing', async () => {
    await expect(admin({ dataDir }, 'backup', '-Path', path.join(root, 'b.sqlite'))).rejects.toThrow(
      `There is no store in ${dataDir}: check DATA_DIR`,
    );
    await storeWithData({ dataDir });
    const inside = path.join(dataDir, 'b.sqlite');
    await expect(admin({ dataDir }, 'backup', '-Path', inside)).rejects.toThrow(/is inside DATA_DIR/);
    await expect(admin({ dataDir }, 'backup', '-Path', path.join(root, 'nope', 'b.sqlite'))).rejects.toThrow(
      `There is no folder ${path.join(root, 'nope')}.`,
    );
    expect(fs.readdirSync(root)).toEqual(['data']);
    expect(fs.existsSync(inside)).toBe(false);
  });
});

describe('on PostgreSQL', () => {
  it('backup and restore refuse and give the pg_dump / pg_restore lines with user, host and database', async () => {
    const at = await emptyLocation('postgres');
    try {
      await admin(at.location, 'init');
      const url = new URL(at.location.databaseUrl as string);
      for (const verb of ['backup', 'restore']) {
        const error = await admin(at.location, verb, '-Path', '/backup/ml.dump').catch((e: Error) => e);
        expect(error).toBeInstanceOf(CliError);
        const message = (error as Error).message;
        const connection = `--host=${url.hostname} --port=${url.port} --username=${url.username}`;
        expect(message).toContain(
          `(umask 077 && pg_dump ${connection} --format=custom --file=/backup/ml.dump ${url.pathname.slice(1)})`,
        );
        expect(message).toContain(
          `pg_restore ${connection} --dbname=${url.pathname.slice(1)} --no-owner --exit-on-error /backup/ml.dump`,
        );
      }
    } finally {
      await at.cleanup();
    }
  });

  it('never prints the password; quotes what the shell would split; a socket folder is the host', () => {
    const lines = pgDumpCommands('postgres://meet:s3cr%27t@db.contoso.com/meet_launcher', '/backup/my dump');
    expect(lines.dump).toBe(
      "(umask 077 && pg_dump --host=db.contoso.com --port=5432 --username=meet --format=custom --file='/backup/my dump' meet_launcher)",
    );
    expect(`${lines.dump}${lines.restore}`).not.toMatch(/s3cr/);
    expect(pgDumpCommands('postgres://meet@localhost/ml?host=/run/postgresql', 'x.dump').restore).toBe(
      'pg_restore --host=/run/postgresql --port=5432 --username=meet --dbname=ml --no-owner --exit-on-error x.dump',
    );
  });
});
