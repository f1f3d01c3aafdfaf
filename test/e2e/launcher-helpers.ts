/** Helpers for the launcher flows: config changes through the real CLI, and the desktop app's signals. */
import type { Page } from '@playwright/test';
import { expect, type PoolServer } from './fixtures';

/** `admin set --Name value ...` on Global; fails the test with the CLI's own words if refused. */
export async function setGlobal(pool: PoolServer, params: Record<string, string>): Promise<void> {
  const args = Object.entries(params).flatMap(([name, value]) => [`--${name}`, value]);
  const result = await pool.admin('set', ...args);
  expect(result.code, result.stderr).toBe(0);
}

/**
 * What the browser does when the desktop app takes over: the page loses focus. Headless Chromium
 * has no app to hand the link to, so the test plays the operating system's part.
 */
export async function appTakesFocus(page: Page): Promise<void> {
  await page.evaluate(() => window.dispatchEvent(new FocusEvent('blur')));
}

/** The other sign of an app taking over: the tab is hidden. */
export async function tabBecomesHidden(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

/**
 * Opens the launcher with the page's clock stopped, so the desktop attempt stays "trying" however
 * slow the machine is, until the test moves time with `page.clock.runFor`. Preact paints on
 * animation frames, which the stopped clock holds too, so time is nudged a frame at a time until
 * the launcher shows (a few hundred fake milliseconds, far below the launch timeout).
 */
export async function openWithFrozenTimers(page: Page, url: string): Promise<void> {
  await page.clock.install();
  await page.clock.pauseAt(Date.now() + 1000);
  await page.goto(url, { waitUntil: 'commit' });
  const shown = page.locator('[data-testid="launcher"], [data-testid="error"]');
  await expect
    .poll(async () => {
      await page.clock.runFor(16);
      return shown.isVisible();
    })
    .toBe(true);
}

export const desktopState = (page: Page) => page.getByTestId('launcher');

export const ALICE = '/alice/7Q3DSSYV';
export const ALICE_URI = 'sip:alice@contoso.com;gruu;opaque=app:conf:focus:id:7Q3DSSYV';

export const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36';
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
