/** Every shell screen passes axe; join, chat and leave work with the keyboard alone. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { openMeeting } from './fixtures';
import { ALICE, chatLog, expect, KENMYER, organizerLink, say, test } from './shell-helpers';

async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  // AxeBuilder ends in a blank page of its own; the flow's page is in front again (see media-a11y).
  await page.bringToFront();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on the ${screen} screen`).toEqual([]);
}

/** Presses Tab until the element with the test id has focus; fails if it is not reachable. */
async function tabTo(page: Page, testId: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 30; i++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${testId} cannot be reached with ${key}`);
}

// Two flows per width, two people each: every screen is checked, and neither flow holds four
// browsers with cameras on a 2-core machine (axe on a busy page takes seconds per screen).
for (const viewport of [
  { width: 1280, height: 800 },
  { width: 375, height: 740 },
]) {
  test(`axe finds nothing on the prejoin, the lobby, the organizer's queue and "denied" (${viewport.width}px)`, async ({
    people,
    pool,
  }) => {
    const guest = await people.newPage({ viewport });
    await openMeeting(guest, pool.url(KENMYER));
    await guest.getByTestId('join-web').click();
    await expect(guest.getByTestId('display-name')).toBeVisible();
    await expectNoAxeViolations(guest, 'prejoin');
    await guest.getByTestId('join-submit').click();
    await expect(guest.getByTestId('join-problem')).toHaveText(/Enter your name/);
    await expectNoAxeViolations(guest, 'prejoin with a problem');
    await guest.getByTestId('display-name').fill('Axe Guest');
    await guest.getByTestId('join-submit').click();
    await expect(guest.getByTestId('lobby')).toBeVisible();
    await expectNoAxeViolations(guest, 'lobby');

    const organizer = await people.join(await organizerLink(pool, KENMYER), 'Ken Organizer');
    await expect(organizer.getByTestId('lobby-guest')).toHaveCount(1);
    await say(organizer, 'Welcome <b>everyone</b>');
    await expectNoAxeViolations(organizer, 'in-meeting (organizer, guest waiting)');
    await organizer.getByTestId('lobby-deny').click();
    await expect(guest.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'denied');
    await expectNoAxeViolations(guest, 'denied');
  });

  test(`axe finds nothing in the meeting, reconnecting, "left", the end confirmation and "ended" (${viewport.width}px)`, async ({
    people,
    pool,
  }) => {
    const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer');
    await expect(organizer.getByTestId('in-meeting')).toBeVisible();
    const guest = await people.newPage({ viewport });
    const guestContext = guest.context();
    await openMeeting(guest, pool.url(ALICE));
    await guest.getByTestId('join-web').click();
    await guest.getByTestId('display-name').fill('Axe Guest');
    await guest.getByTestId('join-submit').click();
    await expect(guest.getByTestId('in-meeting')).toBeVisible();
    await say(guest, 'Thanks!');
    await expect.poll(() => chatLog(guest)).toEqual(['Axe Guest: Thanks!']);
    await guest.getByTestId('mute').click();
    await expectNoAxeViolations(guest, 'in-meeting (guest)');

    await guestContext.setOffline(true);
    await expect(guest.getByTestId('reconnecting')).toBeVisible();
    await expectNoAxeViolations(guest, 'in-meeting, reconnecting');
    await guestContext.setOffline(false);
    await expect(guest.getByTestId('reconnecting')).toHaveCount(0);
    await guest.getByTestId('leave').click();
    await expect(guest.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'left');
    await expectNoAxeViolations(guest, 'left');

    await organizer.getByTestId('end-meeting').click();
    await expectNoAxeViolations(organizer, 'end confirmation');
    await organizer.getByTestId('end-meeting-confirm').click();
    await expect(organizer.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'ended');
    await expectNoAxeViolations(organizer, 'meeting ended');
  });
}

test('keyboard only: join, chat and leave', async ({ page, pool }) => {
  await openMeeting(page, pool.url(ALICE));
  await tabTo(page, 'join-web');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('display-name')).toBeVisible();
  await tabTo(page, 'display-name');
  await page.keyboard.type('Keyboard Kim');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('in-meeting')).toBeVisible();

  await tabTo(page, 'chat-input');
  await page.keyboard.type('typed with keys');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('second line');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chat-text')).toHaveText('typed with keys\nsecond line');
  await expect(page.getByTestId('chat-input')).toBeFocused();

  await tabTo(page, 'chat-send');
  await tabTo(page, 'leave', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'left');
});
