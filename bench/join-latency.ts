/**
 * Joining a no-lobby meeting: from the click on Join (`join-submit`) to the `in-meeting` screen, on
 * localhost against the real server, timed inside the page. Prints the median of 20 joins.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { seedDemoIfEmpty } from '../src/server/demo/seed';
import { buildApp } from '../src/server/http/app';
import { loadOrCreateSecret } from '../src/server/secrets/secret';
import { openDatabase } from '../src/server/sql/sqlite-db';
import { sqliteStore } from '../src/server/sql/store';
import { CHROMIUM_ARGS, findChromium, NO_BROWSER_HELP } from '../test/e2e/browser';
import type { Figure } from './figure';

const JOINS = 20;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export async function run(): Promise<Figure[]> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_BROWSER_HELP);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-bench-'));
  const db = openDatabase(dataDir);
  const store = sqliteStore(db, dataDir);
  await seedDemoIfEmpty(store.sql);
  const app = await buildApp({ store, secret: loadOrCreateSecret(dataDir), distDir: path.resolve('dist') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const samples: number[] = [];
  try {
    for (let i = 0; i < JOINS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // ?sl=1: no desktop-app attempt. Headless Chromium drops later clicks in a tab left by a conf:
      // launch (with the prejoin's camera running, reliably), and the click is what is timed.
      await page.goto(`http://127.0.0.1:${port}/alice/7Q3DSSYV?sl=1`);
      await page.getByTestId('join-web').click();
      await page.getByTestId('display-name').fill(`Bench ${i}`);
      // Timed in the page: from the click event to the moment `in-meeting` is in the document.
      const elapsed = page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let clickedAt: number | undefined;
            document.addEventListener(
              'click',
              (event) => {
                if ((event.target as Element).closest('[data-testid="join-submit"]')) clickedAt = performance.now();
              },
              { capture: true },
            );
            new MutationObserver((_, observer) => {
              if (clickedAt !== undefined && document.querySelector('[data-testid="in-meeting"]')) {
                observer.disconnect();
                resolve(performance.now() - clickedAt);
              }
            }).observe(document.body, { childList: true, subtree: true });
          }),
      );
      await page.getByTestId('join-submit').click();
      samples.push(await elapsed);
      await page.getByTestId('leave').click();
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return [
    {
      name: `join, click to in-meeting (median of ${JOINS})`,
      value: Math.round(median(samples) * 10) / 10,
      unit: 'ms',
      budget: { atMost: 300 },
      note: `localhost, no lobby; min ${Math.round(Math.min(...samples))} ms, max ${Math.round(Math.max(...samples))} ms`,
    },
  ];
}
