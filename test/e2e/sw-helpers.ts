/** Service-worker helpers for the sw-* specs: wait for control, read the registration, list caches. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Waits until the page is controlled by an activated worker (first install claims the page). */
export async function waitForWorkerControl(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker?.controller?.state ?? 'none'), {
      message: 'the service worker controls the page',
      timeout: 15_000,
    })
    .toBe('activated');
}

/** Every URL held in the origin's Cache Storage, for checking what was (not) cached. */
export function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
}

/** A private copy of dist/ that a spec may change (to ship a "new version" of the worker). */
export function copyOfDist(): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-dist-'));
  fs.cpSync(path.join(ROOT, 'dist'), dir, { recursive: true });
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
