/** The desktop-app attempt: when it happens, how success and failure are told apart, "Try again". */
import { expect, openMeeting, test } from './fixtures';
import {
  ALICE,
  ALICE_URI,
  ANDROID_UA,
  appTakesFocus,
  desktopState,
  IPHONE_UA,
  openWithFrozenTimers,
  setGlobal,
  tabBecomesHidden,
} from './launcher-helpers';

// These flows are about the launcher as the product ships it: the desktop app is tried on load.
test.use({ desktopAppLaunch: true });

test.describe('on a desktop, by default', () => {
  test('the app is tried at once; losing focus means it opened', async ({ page, pool, externalLaunches }) => {
    await openWithFrozenTimers(page, pool.url(ALICE));
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'trying');
    await expect.poll(() => externalLaunches).toEqual([`conf:${ALICE_URI}`]);
    await expect(page.getByTestId('desktop-status')).toHaveText('Opening the meeting in the app…');
    // Joining in the browser stays in view; the other ways wait behind the disclosure.
    await expect(page.getByTestId('join-web')).toBeVisible();
    await expect(page.getByTestId('join-phone')).toBeHidden();
    await appTakesFocus(page);
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'opened');
    await expect(page.getByTestId('desktop-status')).toHaveText(
      'The meeting is opening in the app. You can close this tab.',
    );
    // Coming back to the tab does not launch the app again (no app-open loop).
    await page.clock.runFor(10_000);
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'opened');
    const more = page.getByRole('button', { name: 'Other ways to join' });
    await expect(more).toHaveAttribute('aria-expanded', 'false');
    await more.click();
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('join-phone')).toBeVisible();
    expect(externalLaunches, 'coming back launches nothing more').toHaveLength(1);
  });

  test('the tab being hidden also means it opened', async ({ page, pool, externalLaunches }) => {
    await openWithFrozenTimers(page, pool.url(ALICE));
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'trying');
    await tabBecomesHidden(page);
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'opened');
    expect(externalLaunches).toEqual([`conf:${ALICE_URI}`]);
  });

  test('no sign before the timeout: the options open, with "Try again" that can succeed', async ({
    page,
    pool,
    externalLaunches,
  }) => {
    await openWithFrozenTimers(page, pool.url(ALICE));
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'trying');
    await expect.poll(() => externalLaunches).toEqual([`conf:${ALICE_URI}`]);
    // The attempt began a few fake frames before the launcher showed; its timeout is 2.5 s.
    await page.clock.runFor(1_500);
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'trying');
    await page.clock.runFor(1_100);
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'failed');
    await expect(page.getByTestId('desktop-status')).toHaveText(
      'We could not open the app. Try again, or choose another way to join.',
    );
    for (const id of ['join-web', 'join-desktop', 'join-phone', 'download-app']) {
      await expect(page.getByTestId(id)).toBeVisible();
    }
    const tryAgain = page.getByTestId('join-desktop');
    await expect(tryAgain).toHaveText('Try the app again');
    await expect(tryAgain).toHaveAttribute('href', `conf:${ALICE_URI}`);
    await tryAgain.click();
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'trying');
    // The link the person clicked is what launches the app, not the page's script.
    await expect.poll(() => externalLaunches).toEqual([`conf:${ALICE_URI}`, `conf:${ALICE_URI}`]);
    await appTakesFocus(page);
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'opened');
  });

  test('?sl=1 skips the attempt and shows every option', async ({ page, pool }) => {
    await openWithFrozenTimers(page, pool.url(`${ALICE}?sl=1`));
    await page.clock.runFor(5_000);
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'idle');
    await expect(page.getByTestId('desktop-status')).toHaveText('');
    for (const id of ['join-web', 'join-desktop', 'join-phone', 'download-app']) {
      await expect(page.getByTestId(id)).toBeVisible();
    }
    await expect(page.getByTestId('join-desktop')).toHaveText('Open in the app');
  });
});

test('AutoLaunchDesktopClient false: no attempt', async ({ page, pool }) => {
  await setGlobal(pool, { AutoLaunchDesktopClient: 'false' });
  await openMeeting(page, pool.url(ALICE));
  await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'idle');
  await expect(page.getByTestId('join-desktop')).toBeVisible();
});

test('ShowAlternateJoinOptionsExpanded shows the options while the app is tried', async ({
  page,
  pool,
  externalLaunches,
}) => {
  await setGlobal(pool, { ShowAlternateJoinOptionsExpanded: 'true' });
  await openWithFrozenTimers(page, pool.url(ALICE));
  await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'trying');
  await expect.poll(() => externalLaunches).toHaveLength(1);
  await expect(page.getByTestId('join-phone')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Other ways to join' })).toHaveAttribute('aria-expanded', 'true');
});

test('the pool names the desktop scheme', async ({ page, pool }) => {
  await setGlobal(pool, { DesktopClientScheme: 'lync15', AutoLaunchDesktopClient: 'false' });
  await openMeeting(page, pool.url(ALICE));
  await expect(page.getByTestId('join-desktop')).toHaveAttribute('href', `lync15:${ALICE_URI}`);
});

test('a web or script scheme is refused by the CLI and the store is unchanged', async ({ pool }) => {
  for (const bad of ['javascript', 'https', 'data', 'not a scheme']) {
    const result = await pool.admin('set', '--DesktopClientScheme', bad);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('DesktopClientScheme');
  }
  const stored = JSON.parse((await pool.admin('get')).stdout) as { DesktopClientScheme: string }[];
  expect(stored[0]?.DesktopClientScheme).toBe('conf');
});

test.describe('on Android', () => {
  test.use({ userAgent: ANDROID_UA, viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });

  test('no automatic attempt; intents that fall back to the store', async ({ page, pool }) => {
    await openMeeting(page, pool.url(ALICE));
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'idle');
    await expect(page.getByTestId('join-desktop')).toHaveAttribute(
      'href',
      new RegExp(
        `^intent:${ALICE_URI.replace(/[.;]/g, '\\$&')}#Intent;scheme=conf;package=com\\.microsoft\\.teams;S\\.browser_fallback_url=https%3A%2F%2Fplay\\.google\\.com`,
      ),
    );
    const get = page.getByTestId('download-app');
    await expect(get).toHaveAttribute('href', /^intent:\/\/details\?id=com\.microsoft\.teams#Intent;scheme=market;/);
    await expect(get).not.toHaveAttribute('target', '_blank');
  });
});

test.describe('on an iPhone', () => {
  test.use({ userAgent: IPHONE_UA, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('no automatic attempt; the app scheme and the App Store scheme', async ({ page, pool }) => {
    await openMeeting(page, pool.url(ALICE));
    await expect(desktopState(page)).toHaveAttribute('data-desktop-state', 'idle');
    await expect(page.getByTestId('join-desktop')).toHaveAttribute('href', `conf:${ALICE_URI}`);
    await expect(page.getByTestId('download-app')).toHaveAttribute(
      'href',
      /^itms-apps:\/\/apps\.apple\.com\/app\/id\d+$/,
    );
  });
});
