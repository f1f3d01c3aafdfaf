/** What a new attendee hit (issue 16, items 2 and 4–9), each checked where the person sees it. */
import { withoutFirstScreenData } from './boot-helpers';
import { expect, openMeeting, test } from './fixtures';
import { openWithFrozenTimers } from './launcher-helpers';
import { ALICE, KENMYER, organizerLink, say, test as shellTest } from './shell-helpers';

shellTest('chat times follow the page’s language, not the browser’s', async ({ people, pool }) => {
  const guest = await people.join(pool.url(`${ALICE}?sl=1&lang=ar-SA`), 'Test Guest');
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
  await say(guest, 'hello');
  const time = guest.getByTestId('chat-message').locator('time');
  const sentAt = await time.getAttribute('datetime');
  const [arabic, english] = await guest.evaluate(
    (iso) =>
      ['ar-SA', 'en-US'].map((l) =>
        new Intl.DateTimeFormat(l, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso ?? '')),
      ),
    sentAt,
  );
  expect(arabic).not.toBe(english);
  await expect(time).toHaveText(arabic as string);
});

test('a lookup error this page has no words for is "unexpected", with Try again', async ({ page, pool }) => {
  await withoutFirstScreenData(page);
  await page.route('**/api/v1/meetings/**', (route) =>
    route.fulfill({ status: 400, contentType: 'application/json', body: '{"code":"quota-frobnicated"}' }),
  );
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await expect(page.getByTestId('error')).toHaveAttribute('data-error-code', 'unexpected');
  await expect(page.locator('body')).not.toContainText('quota-frobnicated');
  await page.unrouteAll();
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
});

test('"Forget this choice" keeps focus on the choice it gives back and says it is done', async ({ page, pool }) => {
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await page.evaluate(() => localStorage.setItem('meet-launcher.prefer-browser', '1'));
  await page.reload();
  await page.getByTestId('forget-browser').click();
  await expect(page.getByTestId('always-browser')).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'This device will ask again' })).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
});

shellTest(
  'the organizer who ends the meeting reads that they did; guests that the organizer did',
  async ({ people, pool }) => {
    const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer');
    await expect(organizer.getByTestId('in-meeting')).toBeVisible();
    const guest = await people.join(pool.url(`${ALICE}?sl=1`), 'Bob Guest');
    await expect(guest.getByTestId('in-meeting')).toBeVisible();
    await organizer.getByTestId('end-meeting').click();
    await organizer.getByTestId('end-meeting-confirm').click();
    await expect(organizer.getByTestId('meeting-ended')).toContainText('You ended the meeting for everyone');
    await expect(guest.getByTestId('meeting-ended')).toContainText('The organizer ended the meeting for everyone');
  },
);

shellTest('the lobby list shows only while someone waits', async ({ people, pool }) => {
  const organizer = await people.join(await organizerLink(pool, KENMYER), 'Ken Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  await expect(organizer.getByTestId('lobby-queue')).toBeHidden();
  const guest = await people.join(pool.url(`${KENMYER}?sl=1`), 'Wanda Waiting');
  await expect(guest.getByTestId('lobby')).toBeVisible();
  await expect(organizer.getByTestId('lobby-queue')).toContainText('Waiting in the lobby (1)');
  await organizer.getByTestId('lobby-admit').click();
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
  await expect(organizer.getByTestId('lobby-queue')).toBeHidden();
});

test.describe('the card keeps its place', () => {
  test.use({ desktopAppLaunch: true });

  test('when the app attempt fails and the options open', async ({ page, pool, externalLaunches }) => {
    await openWithFrozenTimers(page, pool.url(ALICE));
    const launcher = page.getByTestId('launcher');
    await expect(launcher).toHaveAttribute('data-desktop-state', 'trying');
    await expect.poll(() => externalLaunches).toHaveLength(1);
    const before = (await launcher.boundingBox())?.y;
    // No app answers (the suite stubs the launch): past the 2.5 s timeout the attempt has failed.
    await page.clock.runFor(2_600);
    await expect(launcher).toHaveAttribute('data-desktop-state', 'failed');
    await expect(page.getByTestId('join-phone')).toBeVisible();
    expect((await launcher.boundingBox())?.y).toBe(before);
  });
});

test('when a dial-in search empties the list', async ({ page, pool }) => {
  await page.goto(pool.url('/dialin'));
  const card = page.getByTestId('dialin');
  await expect(page.getByTestId('dialin-count')).toHaveText('Numbers found: 13');
  const before = (await card.boundingBox())?.y;
  await page.getByTestId('dialin-search').fill('atlantis');
  await expect(page.getByTestId('dialin-count')).toHaveText('No number matches your search.');
  expect((await card.boundingBox())?.y).toBe(before);
});

test('join by phone: own region first, the rest behind "More numbers", the ID copied in one tap', async ({
  page,
  pool,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await page.getByTestId('join-phone').click();
  const panel = page.getByTestId('phone-panel');
  await expect(panel.locator('dt:visible')).toHaveText(['United States']);
  // "Get the app" stays near: the panel is short until the person asks for more.
  const more = panel.getByTestId('phone-more-numbers');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await more.click();
  await expect(panel.locator('dt:visible')).toHaveCount(9);
  await panel.getByTestId('copy-conference-id').click();
  await expect(panel.getByRole('status')).toHaveText('Conference ID copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('4815162');
});

test('/dialin from a meeting keeps its conference ID in every tel: link and leads back', async ({ page, pool }) => {
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await page.getByTestId('join-phone').click();
  await page.getByRole('link', { name: 'All dial-in numbers' }).click();
  await expect(page.getByTestId('dialin')).toBeVisible();
  await expect(page.getByTestId('phone-conference-id')).toHaveText('4815162');
  const hrefs = await page
    .locator('[data-testid="dialin"] a[href^="tel:"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  expect(hrefs).toHaveLength(13);
  for (const href of hrefs) expect(href).toMatch(/^tel:\+\d+,,4815162%23$/);
  await page.getByTestId('dialin-search').fill('  UK ');
  await expect(page.getByTestId('dialin')).toContainText('United Kingdom');
  await page.getByTestId('dialin-back').click();
  await expect(page).toHaveURL(/\/alice\/7Q3DSSYV$/);
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
});

test('/dialin links back only to a meeting on this site', async ({ page, pool }) => {
  for (const meeting of ['//evil.example/alice/7Q3DSSYV', 'https://evil.example/', '/not a link', 'javascript:x']) {
    await page.goto(pool.url(`/dialin?conferenceId=4815162&meeting=${encodeURIComponent(meeting)}`));
    await expect(page.getByTestId('dialin')).toBeVisible();
    await expect(page.getByTestId('dialin-back')).toHaveCount(0);
  }
});
