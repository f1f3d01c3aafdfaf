/** axe on every launcher screen in every language; keyboard, live regions, motion, dark mode, 320 px. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { SUPPORTED_LOCALES } from '../../src/shared/config-page';
import { withoutFirstScreenData } from './boot-helpers';
import { expect, openMeeting, type PoolServer, test } from './fixtures';
import { ALICE, ALICE_URI } from './launcher-helpers';

// These flows are about the launcher as the product ships it: the desktop app is tried on load.
test.use({ desktopAppLaunch: true });

async function expectNoViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  // AxeBuilder ends in a blank page of its own; the flow's page is in front again (see media-a11y).
  await page.bringToFront();
  expect(violations.map((v) => `${screen}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual(
    [],
  );
}

/** Every screen the launcher can show, reached the way a person would. */
async function visitEveryScreen(page: Page, pool: PoolServer, lang: string): Promise<void> {
  const q = `lang=${lang}`;
  await openMeeting(page, pool.url(`${ALICE}?sl=1&${q}`));
  await page.getByTestId('join-phone').click();
  await expect(page.getByTestId('phone-panel')).toBeVisible();
  await expectNoViolations(page, `${lang} launcher with phone panel`);

  await openMeeting(page, pool.url(`${ALICE}?${q}`));
  await expect(page.getByTestId('launcher')).toHaveAttribute('data-desktop-state', 'failed');
  await expectNoViolations(page, `${lang} desktop attempt failed`);

  await page.goto(pool.url(`/dialin?${q}`));
  await expect(page.getByTestId('dialin')).toBeVisible();
  await expectNoViolations(page, `${lang} dial-in page`);

  for (const path of ['/alice/%00', '/nobody/ABCDEF12', '/alice/ENDED2025']) {
    await openMeeting(page, pool.url(`${path}?${q}`));
    await expectNoViolations(page, `${lang} error ${path}`);
  }
  // As a repeat visit's page from the service worker: the lookup is a request of its own.
  await withoutFirstScreenData(page);
  await page.route('**/api/v1/meetings/**', (route) => route.fulfill({ status: 503, body: '' }));
  await openMeeting(page, pool.url(`${ALICE}?sl=1&${q}`));
  await expect(page.getByTestId('error')).toHaveAttribute('data-error-code', 'service-unreachable');
  await expectNoViolations(page, `${lang} service unreachable`);
  await page.unrouteAll();
}

for (const lang of SUPPORTED_LOCALES) {
  test(`axe: every launcher screen in ${lang}`, async ({ page, pool, externalLaunches }) => {
    // Seven screens, seven axe runs: slow on a busy two-core machine, not a hang.
    test.setTimeout(300_000);
    await visitEveryScreen(page, pool, lang);
    expect(externalLaunches, 'only the desktop-attempt screen tried the app').toEqual([`conf:${ALICE_URI}`]);
  });
}

test.describe('dark mode and reduced motion', () => {
  test.use({ colorScheme: 'dark', reducedMotion: 'reduce' });

  test('axe passes in dark mode; the busy indicator does not spin', async ({ page, pool, externalLaunches }) => {
    await openMeeting(page, pool.url(ALICE));
    await expect.poll(() => externalLaunches).toEqual([`conf:${ALICE_URI}`]);
    await expectNoViolations(page, 'dark launcher');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(18, 18, 20)');
    // The page's own stylesheet decides: the spinner the launch attempt shows is still.
    const animation = await page.evaluate(() => {
      const probe = document.createElement('p');
      probe.className = 'status busy';
      document.body.append(probe);
      const name = getComputedStyle(probe, '::after').animationName;
      probe.remove();
      return name;
    });
    expect(animation).toBe('none');
  });
});

test('keyboard only: reach every option, open the phone panel, join in the browser', async ({ page, pool }) => {
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await expect(page.getByTestId('meeting-subject').locator('xpath=..')).toBeFocused();
  const reached: string[] = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? ''));
  }
  expect(reached).toEqual(['join-web', 'always-browser', 'join-desktop', 'join-phone', 'download-app', 'privacy-link']);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('join-phone')).toHaveAttribute('aria-expanded', 'true');
  // A visible focus ring on the focused control.
  const outline = await page.getByTestId('join-phone').evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe('solid');
  await page.getByTestId('join-web').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('display-name')).toBeVisible();
});

test('screen readers hear the desktop attempt and errors (live regions)', async ({ page, pool, externalLaunches }) => {
  await openMeeting(page, pool.url(ALICE));
  await expect.poll(() => externalLaunches).toEqual([`conf:${ALICE_URI}`]);
  const status = page.getByTestId('desktop-status');
  await expect(status).toHaveAttribute('role', 'status');
  await expect(status).toHaveText(/Opening the meeting in the app|We could not open the app/);
  await openMeeting(page, pool.url('/nobody/ABCDEF12'));
  await expect(page.getByRole('alert')).toContainText('could not find this meeting');
});

for (const width of [320, 375, 768, 1280]) {
  test.describe(`${width} px wide`, () => {
    test.use({ viewport: { width, height: 700 } });

    test('nothing overflows sideways', async ({ page, pool }) => {
      await openMeeting(page, pool.url(`${ALICE}?sl=1&lang=de`));
      await page.getByTestId('join-phone').click();
      await expect(page.getByTestId('phone-panel')).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      for (const id of ['join-web', 'join-desktop', 'join-phone', 'download-app']) {
        const box = await page.getByTestId(id).boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= width, id).toBe(true);
        expect(box && box.height >= 24, `${id} is a usable target`).toBe(true);
      }
    });
  });
}
