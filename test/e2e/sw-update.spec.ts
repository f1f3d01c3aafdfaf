/**
 * A new version of the worker waits while any tab is in a meeting, and is applied at a natural
 * break: after leaving (that tab keeps its screen), and tabs still on the launcher reload into it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, joinAsGuest, openMeeting, type PoolServer, startPoolServer, test } from './fixtures';
import { copyOfDist, waitForWorkerControl } from './sw-helpers';

const MEETING = '/alice/7Q3DSSYV';

const hasWaitingWorker = (page: Page) =>
  page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration('/'))?.waiting);

let dist: ReturnType<typeof copyOfDist>;
let server: PoolServer;
test.beforeEach(async () => {
  dist = copyOfDist();
  server = await startPoolServer({ distDir: dist.dir, desktopAppLaunch: false });
});
test.afterEach(async () => {
  await server.stop();
  dist.remove();
});

/** Ships a new version: the worker script changes by a byte, so the browser installs it. */
function shipNewVersion(): void {
  fs.appendFileSync(path.join(dist.dir, 'sw.js'), '\n// next version\n');
}

test('an update waiting during a meeting is applied only after leaving', async ({ page, context }) => {
  await openMeeting(page, server.url(MEETING));
  await waitForWorkerControl(page);
  await joinAsGuest(page);
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await page.evaluate(async () => {
    (window as unknown as { firstWorker: unknown }).firstWorker = navigator.serviceWorker.controller;
  });

  shipNewVersion();
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/'))?.update());
  await expect.poll(() => hasWaitingWorker(page), { message: 'the new worker installed and waits' }).toBe(true);

  // Another tab opens the launcher (its own break): it must not switch workers under the meeting.
  const other = await context.newPage();
  await openMeeting(other, server.url(MEETING));
  await expect(other.locator('html')).toHaveAttribute('data-sw-state', 'update-held');
  expect(await hasWaitingWorker(page)).toBe(true);
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  expect(
    await page.evaluate(
      () => navigator.serviceWorker.controller === (window as unknown as { firstWorker: unknown }).firstWorker,
    ),
  ).toBe(true);

  // Leaving is the break: the update is applied; this tab keeps its screen, the launcher tab reloads.
  const otherReloaded = other.waitForEvent('load');
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  // Activating the new worker (its old caches cleared) took over 10 s on a loaded 2-core machine.
  await expect
    .poll(() => hasWaitingWorker(page), { message: 'the waiting worker was applied', timeout: 30_000 })
    .toBe(false);
  await expect
    .poll(
      () =>
        page.evaluate(
          () => navigator.serviceWorker.controller !== (window as unknown as { firstWorker: unknown }).firstWorker,
        ),
      { timeout: 30_000 },
    )
    .toBe(true);
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  await otherReloaded;
  await expect(other.getByTestId('launcher')).toBeVisible();
  expect(
    await other.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type),
  ).toBe('reload');
});

test('an update found while on the launcher is applied before joining, with a reload', async ({ page }) => {
  await openMeeting(page, server.url(MEETING));
  await waitForWorkerControl(page);
  shipNewVersion();
  const reloaded = page.waitForEvent('load');
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/'))?.update());
  await reloaded;
  await expect(page.getByTestId('launcher')).toBeVisible();
  expect(await hasWaitingWorker(page)).toBe(false);
  await waitForWorkerControl(page);
});
