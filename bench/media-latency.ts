/**
 * Joining a call: from the click on Join (`join-submit`, the device check already running) to the
 * first frame of another participant's video drawn in the page, on localhost against the real
 * server, in Chromium with a fake camera and microphone. One person waits in the meeting; each of
 * 10 newcomers joins, is timed inside the page (requestVideoFrameCallback), and leaves.
 * A newcomer who sees no frame within the hard deadline fails the bench.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from '@playwright/test';
import { seedDemoIfEmpty } from '../src/server/demo/seed';
import { buildApp } from '../src/server/http/app';
import { loadOrCreateSecret } from '../src/server/secrets/secret';
import { openDatabase } from '../src/server/sql/sqlite-db';
import { sqliteStore } from '../src/server/sql/store';
import { CHROMIUM_ARGS, findChromium, NO_BROWSER_HELP } from '../test/e2e/browser';
import type { Figure } from './figure';

const JOINS = 10;
/** Per join: past this the join counts as failed (and the figure as past its budget). */
const DEADLINE_MS = 15_000;
const BUDGET_MS = 1500;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function joinAs(browser: Browser, url: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.getByTestId('join-web').click();
  await page.getByTestId('display-name').fill(name);
  // The device check is running: what is timed is the call, not the permission prompt.
  await page.locator('[data-testid="device-preview"][data-camera="on"]').waitFor({ timeout: DEADLINE_MS });
  return page;
}

/** Clicks Join and resolves with ms from the click to the first drawn frame of a remote video. */
function timeFirstRemoteFrame(page: Page): Promise<number> {
  const timing = page.evaluate(
    (deadline) =>
      new Promise<number>((resolve, reject) => {
        let clickedAt: number | undefined;
        const watched = new WeakSet<Element>();
        document.addEventListener(
          'click',
          (event) => {
            if ((event.target as Element).closest('[data-testid="join-submit"]')) clickedAt = performance.now();
          },
          { capture: true },
        );
        // The first tile is the person's own; every other one is someone else's.
        new MutationObserver(() => {
          for (const video of document.querySelectorAll<HTMLVideoElement>('[data-testid="media-tile"] ~ li video')) {
            if (watched.has(video)) continue;
            watched.add(video);
            video.requestVideoFrameCallback(() => {
              if (clickedAt !== undefined) resolve(performance.now() - clickedAt);
            });
          }
        }).observe(document.body, { childList: true, subtree: true });
        setTimeout(() => reject(new Error(`no remote frame within ${deadline} ms`)), deadline);
      }),
    DEADLINE_MS,
  );
  return page
    .getByTestId('join-submit')
    .click()
    .then(() => timing);
}

export async function run(): Promise<Figure[]> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_BROWSER_HELP);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-bench-'));
  const db = openDatabase(dataDir);
  const store = sqliteStore(db, dataDir);
  await seedDemoIfEmpty(store.sql);
  const app = await buildApp({ store, secret: loadOrCreateSecret(dataDir), distDir: path.resolve('dist') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/alice/7Q3DSSYV?sl=1`;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const samples: number[] = [];
  let failed = 0;
  try {
    const host = await joinAs(browser, url, 'Bench Host');
    await host.getByTestId('join-submit').click();
    await host.getByTestId('in-meeting').waitFor();
    for (let i = 0; i < JOINS; i++) {
      const page = await joinAs(browser, url, `Bench ${i}`);
      try {
        samples.push(await timeFirstRemoteFrame(page));
        await page.getByTestId('leave').click();
      } catch {
        failed++;
      } finally {
        await page.context().close();
      }
    }
  } finally {
    await browser.close();
    await app.close();
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const value = failed || !samples.length ? DEADLINE_MS : Math.round(median(samples));
  return [
    {
      name: `join click to first remote video frame (median of ${JOINS})`,
      value,
      unit: 'ms',
      budget: { atMost: BUDGET_MS },
      note: failed
        ? `${failed} of ${JOINS} joins saw no remote frame within ${DEADLINE_MS} ms`
        : `localhost, fake camera; min ${Math.round(Math.min(...samples))} ms, max ${Math.round(Math.max(...samples))} ms`,
    },
  ];
}
