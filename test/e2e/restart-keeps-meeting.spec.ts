/**
 * `npm start` keeps its meetings across a restart (issue 24): the embedded server runs as its own
 * process on a temp DATA_DIR, two people meet and chat, the server is stopped (SIGTERM, as systemd
 * does; SIGKILL, as a crash does) and started again on the same port and DATA_DIR. Both pages
 * resume by themselves: still in the meeting, both in the roster, the earlier message shown once,
 * and a message sent after the restart reaches the other page once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import { seedDemoIfEmpty } from '../../src/server/demo/seed';
import { openDatabase } from '../../src/server/sql/sqlite-db';
import { sqliteStore } from '../../src/server/sql/store';
import { putDocument } from '../../src/server/store/config-store';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { openMeeting } from './fixtures';
import { ALICE, chatLog, expect, rosterNames, say } from './shell-helpers';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Running {
  /** The organizer link of the demo meeting on ALICE, as the server printed it. */
  organizerLink: string;
  /** Sends the signal to the server's process group; resolves once it has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `npm start`'s program (src/server/entry/main.ts) on this port and DATA_DIR; resolves once it listens. */
async function startServer(dataDir: string, port: number): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  delete env.NODE_NAME;
  // Its own process group: tsx runs the server in a child process, and a kill must reach both.
  const child: ChildProcess = spawn(TSX, ['src/server/entry/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const organizerLink = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Quarterly planning\s+\S+\n\s+(\S+)/.exec(output);
      if (match) resolve(match[1] as string);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
  });
  return {
    organizerLink,
    async kill(signal) {
      if (child.pid) process.kill(-child.pid, signal);
      await closed;
    },
  };
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`a meeting goes on through a restart of the server (${signal})`, async ({ browser }) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-restart-'));
    // The demo store, made first so the join skips the desktop app (headless Chromium has none).
    const store = sqliteStore(openDatabase(dataDir), dataDir);
    await seedDemoIfEmpty(store.sql);
    await putDocument(store.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, AutoLaunchDesktopClient: false });
    await store.close();
    const port = await freePort();
    let server: Running | undefined = await startServer(dataDir, port);
    const contexts = [await browser.newContext(), await browser.newContext()];
    try {
      const join = async (index: number, url: string, name: string) => {
        const page = await (contexts[index] as (typeof contexts)[number]).newPage();
        await openMeeting(page, url);
        await page.getByTestId('join-web').click();
        await page.getByTestId('display-name').fill(name);
        await page.getByTestId('join-submit').click();
        await expect(page.getByTestId('in-meeting')).toBeVisible();
        return page;
      };
      const organizer = await join(0, server.organizerLink, 'Alice Organizer');
      const guest = await join(1, `http://127.0.0.1:${port}${ALICE}`, 'Bob Guest');
      for (const page of [organizer, guest]) await expect.poll(() => rosterNames(page)).toHaveLength(2);
      await say(organizer, 'before the restart');
      const before = ['Alice Organizer: before the restart'];
      for (const page of [organizer, guest]) await expect.poll(() => chatLog(page)).toEqual(before);

      await server.kill(signal);
      server = undefined;
      for (const page of [organizer, guest]) await expect(page.getByTestId('reconnecting')).toBeVisible();

      server = await startServer(dataDir, port);
      // Both pages come back by themselves (their stream's backoff is at most 10 s).
      for (const page of [organizer, guest]) {
        await expect(page.getByTestId('reconnecting')).toHaveCount(0, { timeout: 60_000 });
        await expect(page.getByTestId('in-meeting')).toBeVisible();
        await expect(page.getByTestId('meeting-ended')).toHaveCount(0);
        await expect.poll(() => rosterNames(page)).toHaveLength(2);
        expect(await chatLog(page)).toEqual(before);
      }
      await say(guest, 'after the restart');
      const after = [...before, 'Bob Guest: after the restart'];
      for (const page of [organizer, guest]) await expect.poll(() => chatLog(page)).toEqual(after);
    } finally {
      for (const context of contexts) await context.close();
      await server?.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
