/** Every failure has its own screen and data-error-code, and the recoverable ones recover. */
import { withoutFirstScreenData } from './boot-helpers';
import { expect, openMeeting, test } from './fixtures';
import { ALICE, setGlobal } from './launcher-helpers';

// These flows are about the launcher as the product ships it: the desktop app is tried on load.
test.use({ desktopAppLaunch: true });

const errorCode = (page: import('@playwright/test').Page) => page.getByTestId('error');

test('invalid link', async ({ page, pool }) => {
  await openMeeting(page, pool.url('/alice/7Q3D%00SSYV'));
  await expect(errorCode(page)).toHaveAttribute('data-error-code', 'invalid-link');
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
});

test('meeting not found, also when the link names another domain', async ({ page, pool }) => {
  await openMeeting(page, pool.url('/nobody/ABCDEF12'));
  await expect(errorCode(page)).toHaveAttribute('data-error-code', 'meeting-not-found');
  await openMeeting(page, pool.url('/fabrikam.com/Meet/alice/7Q3DSSYV'));
  await expect(errorCode(page)).toHaveAttribute('data-error-code', 'meeting-not-found');
});

test('meeting ended, with when it ended in the reader’s language', async ({ page, pool }) => {
  await openMeeting(page, pool.url('/alice/ENDED2025?lang=de'));
  await expect(errorCode(page)).toHaveAttribute('data-error-code', 'meeting-ended');
  await expect(page.getByRole('alert')).toContainText('Diese Besprechung ist beendet.');
  // Intl, not a hand-made format: the German long date.
  const expected = await page.evaluate(() =>
    new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeStyle: 'short' }).format(Date.UTC(2025, 0, 15, 17, 30)),
  );
  expect(expected).toContain('Januar 2025');
  await expect(page.getByRole('alert')).toContainText(`Sie endete am ${expected}.`);
});

test('anonymous join not allowed: its own screen, and back to the other options', async ({ page, pool }) => {
  await setGlobal(pool, { AllowAnonymousJoin: 'false', AutoLaunchDesktopClient: 'false' });
  await openMeeting(page, pool.url(ALICE));
  await page.getByTestId('always-browser').check();
  await page.getByTestId('join-web').click();
  await expect(errorCode(page)).toHaveAttribute('data-error-code', 'anonymous-join-not-allowed');
  await expect(page.getByRole('alert')).toContainText('does not allow guests in the browser');
  // A refused browser join is not remembered as this device's choice.
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
  await page.getByRole('button', { name: 'Back to the join options' }).click();
  await expect(page.getByTestId('join-phone')).toBeVisible();
});

test('service unreachable, then "Try again" reaches it', async ({ page, pool }) => {
  await withoutFirstScreenData(page);
  let failing = true;
  await page.route('**/api/v1/meetings/**', (route) =>
    failing ? route.fulfill({ status: 503, body: 'down' }) : route.continue(),
  );
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await expect(errorCode(page)).toHaveAttribute('data-error-code', 'service-unreachable');
  await expect(page.getByRole('alert')).toContainText('could not reach the meeting service');
  failing = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
});

test('a network failure is service-unreachable too', async ({ page, pool }) => {
  await withoutFirstScreenData(page);
  await page.route('**/api/v1/meetings/**', (route) => route.abort('connectionrefused'));
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await expect(errorCode(page)).toHaveAttribute('data-error-code', 'service-unreachable');
});

test('offline: says so, and tries again by itself when the connection is back', async ({ page, pool, context }) => {
  await withoutFirstScreenData(page);
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let first = true;
  await page.route('**/api/v1/meetings/**', async (route) => {
    if (!first) return route.continue();
    first = false;
    await held;
    await route.abort('internetdisconnected');
  });
  // The connection drops once the page has its words (a catalog cannot load offline either).
  const words = page.waitForResponse((r) => /\/assets\/en-US-[\w-]+\.js$/.test(r.url()));
  await page.goto(pool.url(`${ALICE}?sl=1`));
  await words;
  await context.setOffline(true);
  release();
  await expect(errorCode(page)).toHaveAttribute('data-error-code', 'offline');
  await expect(page.getByRole('alert')).toContainText('You are offline');
  await context.setOffline(false);
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
});
