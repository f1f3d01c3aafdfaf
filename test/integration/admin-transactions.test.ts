/**
 * Ten admin CLI processes change ten different parameters at once: every change lands. The test
 * holds the write lock until every process is waiting for it (each one's main thread asleep in
 * SQLite's busy handler), so each has done whatever it does before taking the lock: a `set` that
 * read the document outside its write transaction would write back a stale copy and lose the rest.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { getDocument } from '../../src/server/store/config-store';
import { type TempStore, tempStore } from '../support/temp-store';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHANGES: [string, string, unknown][] = [
  ['MeetingUxEnableTelemetry', 'true', true],
  ['ShowAlternateJoinOptionsExpanded', 'true', true],
  ['AutoLaunchDesktopClient', 'false', false],
  ['AllowAnonymousJoin', 'false', false],
  ['DownloadUrl', 'https://download.contoso.test/app', 'https://download.contoso.test/app'],
  ['DesktopClientScheme', 'msteams', 'msteams'],
  ['DefaultLanguage', 'de-DE', 'de-DE'],
  ['TelemetryEndpoint', 'https://telemetry.contoso.test/t', 'https://telemetry.contoso.test/t'],
  ['HstsMaxAgeInSeconds', '600', 600],
  ['TelemetryMaxEventsPerDay', '5000', 5000],
];

let store: TempStore;
beforeEach(async () => {
  store = await tempStore();
});
afterEach(() => store.cleanup());

/** True while the process's main thread sleeps (SQLite's busy handler), not in epoll. */
const sleepingInBusyHandler = (pid: number) => {
  try {
    return /nanosleep/.test(fs.readFileSync(`/proc/${pid}/wchan`, 'utf8'));
  } catch {
    return false;
  }
};

it('ten concurrent sets all land: each reads and writes in one transaction', { timeout: 120_000 }, async () => {
  const blocker = new Database(path.join(store.dataDir, 'meet-launcher.sqlite'));
  blocker.prepare('BEGIN IMMEDIATE').run();
  const children = CHANGES.map(([name, value]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/admin/cli.ts', 'set', `--${name}`, value], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: store.dataDir },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
      child.on('exit', (code) => resolve({ code, output })),
    );
    return { pid: child.pid as number, exited };
  });
  await expect
    .poll(() => children.filter((c) => sleepingInBusyHandler(c.pid)).length, { timeout: 90_000, interval: 100 })
    .toBe(CHANGES.length);
  blocker.prepare('COMMIT').run();
  blocker.close();
  const results = await Promise.all(children.map((c) => c.exited));
  for (const result of results) expect(result, result.output).toMatchObject({ code: 0 });
  const global = (await getDocument(store.sql, { kind: 'global' })) as unknown as Record<string, unknown>;
  for (const [name, , expected] of CHANGES) expect(global[name], name).toEqual(expected);
});
