/** Join in the browser (and remembering it), join by phone, the /dialin page, get the app. */
import { expect, openMeeting, storageSnapshot, test } from './fixtures';
import { ALICE, setGlobal } from './launcher-helpers';

// These flows are about the launcher as the product ships it: the desktop app is tried on load.
test.use({ desktopAppLaunch: true });

test('join in the browser opens the meetings shell and stores nothing', async ({ page, pool }) => {
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await page.getByTestId('join-web').click();
  await expect(page.getByTestId('display-name')).toBeVisible();
  expect(await storageSnapshot(page)).toEqual({ localStorage: [], sessionStorage: [], indexedDB: [], cookies: [] });
});

test('"always use the browser" is remembered only when chosen, skips the app next time, and can be forgotten', async ({
  page,
  pool,
  externalLaunches,
}) => {
  await openMeeting(page, pool.url(ALICE));
  await expect(page.getByTestId('launcher')).toHaveAttribute('data-desktop-state', /trying|failed/);
  await expect.poll(() => externalLaunches).toHaveLength(1);
  await page.getByTestId('always-browser').check();
  expect(await page.evaluate(() => Object.keys(localStorage)), 'ticking the box alone writes nothing').toEqual([]);
  await page.getByTestId('join-web').click();
  await expect(page.getByTestId('display-name')).toBeVisible();
  expect(await page.evaluate(() => ({ ...localStorage }))).toEqual({ 'meet-launcher.prefer-browser': '1' });

  // The next visit opens the link again in the same tab: this device now skips the app.
  const next = page;
  await openMeeting(next, pool.url(ALICE));
  await expect(next.getByTestId('launcher')).toHaveAttribute('data-desktop-state', 'idle');
  await expect(next.getByText('This device always joins in the browser.')).toBeVisible();
  await next.getByTestId('forget-browser').click();
  await expect(next.getByTestId('always-browser')).toBeVisible();
  expect(await next.evaluate(() => Object.keys(localStorage))).toEqual([]);
  expect(externalLaunches, 'the second visit did not try the app').toHaveLength(1);
});

test('join by phone: conference ID and tel: links by region, own region first', async ({ page, pool }) => {
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  const phone = page.getByTestId('join-phone');
  await expect(phone).toHaveAttribute('aria-expanded', 'false');
  await phone.click();
  await expect(phone).toHaveAttribute('aria-expanded', 'true');
  const panel = page.getByTestId('phone-panel');
  await expect(page.getByTestId('phone-conference-id')).toHaveText('4815162');
  await expect(panel.locator('dt').first()).toHaveText('United States');
  const tollFree = panel.getByRole('link', { name: '+1 (800) 555-0199' });
  await expect(tollFree).toHaveAttribute('href', 'tel:+18005550199,,4815162%23');
  await expect(panel.locator('dd').filter({ hasText: '+1 (800) 555-0199' })).toContainText('Toll-free');
  // The reader's own region first; the others wait behind "More numbers".
  await expect(panel.locator('dt:visible')).toHaveCount(1);
  await panel.getByTestId('phone-more-numbers').click();
  await expect(panel.getByRole('link', { name: '+49 30 5555 0100' })).toHaveAttribute(
    'href',
    'tel:+493055550100,,4815162%23',
  );
  await expect(panel.locator('dt')).toHaveCount(9);
  await panel.getByRole('link', { name: 'All dial-in numbers' }).click();
  await expect(page).toHaveURL(/\/dialin\?conferenceId=4815162&meeting=%2Falice%2F7Q3DSSYV$/);
  await expect(page.getByTestId('dialin')).toBeVisible();
});

test('join by phone when the numbers cannot be loaded: the conference ID, the reason and a retry', async ({
  page,
  pool,
}) => {
  // The meeting lookup carries only the phone conference ID; the numbers are the pool's directory.
  await page.route('**/api/v1/dialin', (route) => route.abort('connectionrefused'));
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await page.getByTestId('join-phone').click();
  const panel = page.getByTestId('phone-panel');
  await expect(page.getByTestId('phone-conference-id')).toHaveText('4815162');
  await expect(page.getByTestId('phone-numbers-problem')).toHaveText(/could not reach the meeting service/);
  await expect(panel.locator('dt')).toHaveCount(0);
  await page.unroute('**/api/v1/dialin');
  await page.getByTestId('phone-retry').click();
  await expect(panel.locator('dt')).toHaveCount(9);
  await expect(page.getByTestId('phone-numbers-problem')).toHaveCount(0);
  await expect(panel.getByRole('link', { name: '+1 (800) 555-0199' })).toHaveAttribute(
    'href',
    'tel:+18005550199,,4815162%23',
  );
});

test('region names and the own region follow the language', async ({ page, pool }) => {
  await openMeeting(page, pool.url(`${ALICE}?sl=1&lang=de-DE`));
  await page.getByTestId('join-phone').click();
  await expect(page.getByTestId('phone-panel').locator('dt').first()).toHaveText('Deutschland');
  await expect(page.getByTestId('phone-panel')).toContainText('Vereinigte Staaten');
});

test('the /dialin page lists every region and searches as you type', async ({ page, pool }) => {
  await page.goto(pool.url('/dialin'));
  await expect(page.getByTestId('dialin')).toBeVisible();
  const count = page.getByTestId('dialin-count');
  await expect(count).toHaveText('Numbers found: 13');
  const search = page.getByLabel('Search by country, region or number');
  await search.fill('japan');
  await expect(count).toHaveText('Numbers found: 1');
  await expect(page.getByRole('link', { name: '+81 3-5555-0100' })).toHaveAttribute('href', 'tel:+81355550100');
  await search.fill('0800');
  await expect(count).toHaveText('Numbers found: 2');
  await search.fill('atlantis');
  await expect(count).toHaveText('No number matches your search.');
  await search.fill('');
  await expect(count).toHaveText('Numbers found: 13');
});

test('/dialin on another pool lists that pool’s numbers', async ({ page, pool }) => {
  await page.goto(pool.url('/dialin?lang=fr', 'meet.fabrikam.test'));
  await expect(page.getByTestId('dialin-count')).toHaveText(
    'Numbers found: 4'.replace('Numbers found', 'Numéros trouvés '),
  );
  await expect(page.getByTestId('dialin')).toContainText('Irlande');
});

test('get the app: the pool’s DownloadUrl in a new tab, the launcher stays', async ({ page, pool, context }) => {
  await setGlobal(pool, { DownloadUrl: 'https://download.contoso.test/app' });
  await context.route('https://download.contoso.test/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Download</title>' }),
  );
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  const link = page.getByTestId('download-app');
  await expect(link).toHaveAttribute('href', 'https://download.contoso.test/app');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await tab.waitForLoadState();
  expect(tab.url()).toBe('https://download.contoso.test/app');
  await expect(page.getByTestId('launcher')).toHaveAttribute('data-desktop-state', 'idle');
});
