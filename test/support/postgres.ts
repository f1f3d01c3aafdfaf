/**
 * A throwaway PostgreSQL for tests and benches: `initdb` into a temp folder, `pg_ctl start` on a
 * free loopback port (as the `postgres` user when running as root: PostgreSQL refuses root), then
 * stopped and removed. With TEST_DATABASE_URL set, that server is used instead and nothing is
 * started. Each test file asks for its own database (`freshDatabase`), so files never share state.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** postgres://… of the maintenance database (create databases through it). */
  url: string;
  /** Stops the server and removes its folder (nothing when TEST_DATABASE_URL was given). */
  stop(): Promise<void>;
  /** Stops the server (fast shutdown: open connections are cut), keeping its data and port. */
  halt(): void;
  /** Starts a halted server again on the same port and data. */
  resume(): void;
}

export const POSTGRES_HELP =
  'PostgreSQL is needed for these tests: install the Debian package `postgresql` (its binaries go to /usr/lib/postgresql/<version>/bin), set PG_BIN to a folder with initdb and pg_ctl, or point TEST_DATABASE_URL at a server you own.';

/** The folder holding initdb and pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/<v>/bin. */
export function findPostgresBin(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(root, v, 'bin'));
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
function runAsOwner(bin: string, args: string[]): void {
  const [command, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(command, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(bin)} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

export interface StartOptions {
  settings?: Record<string, string>;
  /**
   * A cluster of the test's own even when TEST_DATABASE_URL is set: for tests that stop and start
   * the server ("PostgreSQL is down"), which must never stop a server they did not start.
   */
  own?: boolean;
}

const notOurs = () => {
  throw new Error('TEST_DATABASE_URL names a server these tests did not start: they never stop it');
};

/** Starts a throwaway cluster, or answers TEST_DATABASE_URL. */
export async function startPostgres(options: StartOptions = {}): Promise<PostgresServer> {
  const given = process.env.TEST_DATABASE_URL;
  if (given && !options.own) return { url: given, stop: async () => {}, halt: notOurs, resume: notOurs };
  const bin = findPostgresBin();
  if (!bin) throw new Error(POSTGRES_HELP);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-pg-'));
  const data = path.join(dir, 'data');
  if (isRoot()) execFileSync('chown', ['postgres:', dir]);
  fs.chmodSync(dir, 0o700);
  runAsOwner(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--no-sync', '-A', 'trust']);
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    max_connections: '200',
    ...options.settings,
  };
  const opts = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const pgCtl = path.join(bin, 'pg_ctl');
  const start = () =>
    runAsOwner(pgCtl, ['start', '-D', data, '-w', '-t', '60', '-l', path.join(dir, 'log'), '-o', opts]);
  const halt = () => runAsOwner(pgCtl, ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
  start();
  let running = true;
  let removed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    halt() {
      if (running) halt();
      running = false;
    },
    resume() {
      if (!running) start();
      running = true;
    },
    async stop() {
      if (removed) return;
      removed = true;
      try {
        if (running) halt();
      } finally {
        running = false;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

let counter = 0;

/** A new, empty database on the server; its URL. Dropped by the returned `drop`. */
export async function freshDatabase(serverUrl: string, prefix = 'ml'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
