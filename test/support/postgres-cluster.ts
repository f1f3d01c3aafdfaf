/**
 * A throwaway PostgreSQL that a test can stop and start again on the same port and data (the run's
 * shared server, postgres.ts, must stay up for every other file). For "PostgreSQL is down" tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPostgresBin, freePort, POSTGRES_HELP } from './postgres';

export interface StoppablePostgres {
  /** postgres://… of the maintenance database. */
  url: string;
  /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
  halt(): void;
  /** Starts it again on the same port and data. */
  resume(): void;
  /** Stops it for good and removes its folder. */
  remove(): void;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function runAsOwner(bin: string, args: string[]): void {
  const [command, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(command, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${path.basename(bin)} failed (${result.status}): ${result.stderr}`);
}

export async function startStoppablePostgres(): Promise<StoppablePostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(POSTGRES_HELP);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-pg-stop-'));
  const data = path.join(dir, 'data');
  if (isRoot()) execFileSync('chown', ['postgres:', dir]);
  fs.chmodSync(dir, 0o700);
  runAsOwner(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir}`;
  const pgCtl = path.join(bin, 'pg_ctl');
  const start = () =>
    runAsOwner(pgCtl, ['start', '-D', data, '-w', '-t', '60', '-l', path.join(dir, 'log'), '-o', opts]);
  const stop = () => runAsOwner(pgCtl, ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
  start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    halt() {
      if (running) stop();
      running = false;
    },
    resume() {
      if (!running) start();
      running = true;
    },
    remove() {
      try {
        if (running) stop();
      } finally {
        running = false;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
