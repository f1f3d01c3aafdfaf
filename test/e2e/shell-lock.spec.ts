/**
 * A meeting belongs to its people: the organizer locks it (guests who would walk in wait in the
 * lobby), admits or denies everyone waiting at once, and unlocks it; a join over the address's
 * share of the places is told so in plain words.
 */
import type { Page } from '@playwright/test';
import type { PoolServer } from './fixtures';
import { ALICE, expect, organizerLink, type People, rosterNames, test } from './shell-helpers';

async function lockedMeeting(people: People, pool: PoolServer): Promise<Page> {
  const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const lock = organizer.getByTestId('meeting-lock');
  await expect(lock).toHaveAttribute('aria-pressed', 'false');
  // A toggle the keyboard reaches, whose state a screen reader reads ("pressed"), with a note.
  await lock.focus();
  await organizer.keyboard.press('Enter');
  await expect(lock).toHaveAttribute('aria-pressed', 'true');
  await expect(organizer.getByTestId('meeting-locked-note')).toHaveText(
    'The meeting is locked: anyone who joins now waits in the lobby.',
  );
  return organizer;
}

test('locked, guests of a meeting without lobby wait; the organizer admits them all at once', async ({
  people,
  pool,
}) => {
  const organizer = await lockedMeeting(people, pool);
  const ann = await people.join(pool.url(ALICE), 'Ann Waits');
  const ben = await people.join(pool.url(ALICE), 'Ben Waits');
  for (const guest of [ann, ben]) await expect(guest.getByTestId('lobby')).toBeVisible();
  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(2);
  await expect(ann.getByTestId('lobby-admit-all')).toHaveCount(0);
  await organizer.getByTestId('lobby-admit-all').click();
  for (const guest of [ann, ben]) await expect(guest.getByTestId('in-meeting')).toBeVisible();
  await expect.poll(() => rosterNames(organizer)).toEqual(['Alice Organizer', 'Ann Waits', 'Ben Waits']);
  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(0);
  // Guests have no lock.
  await expect(ann.getByTestId('meeting-lock')).toHaveCount(0);
});

test('the organizer denies everyone waiting at once, then unlocks: guests walk in again', async ({ people, pool }) => {
  const organizer = await lockedMeeting(people, pool);
  const cy = await people.join(pool.url(ALICE), 'Cy Denied');
  await expect(cy.getByTestId('lobby')).toBeVisible();
  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(1);
  await organizer.getByTestId('lobby-deny-all').click();
  await expect(cy.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'denied');
  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(0);
  const lock = organizer.getByTestId('meeting-lock');
  await lock.click();
  await expect(lock).toHaveAttribute('aria-pressed', 'false');
  await expect(organizer.getByTestId('meeting-locked-note')).toHaveText('');
  const dee = await people.join(pool.url(ALICE), 'Dee Walks In');
  await expect(dee.getByTestId('in-meeting')).toBeVisible();
});

test('a join over the address share is told so in plain words, in the page language', async ({ people, pool }) => {
  const page = await people.newPage();
  await page.route('**/api/v1/meetings/*/*/participants', (route) =>
    route.fulfill({
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'address-full', message: 'Too many people from this address.' }),
    }),
  );
  await page.goto(pool.url(`${ALICE}?lang=de-DE`));
  await page.getByTestId('join-web').click();
  await page.getByTestId('display-name').fill('Zu viele');
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('join-problem')).toContainText('Aus Ihrem Netzwerk nehmen bereits zu viele Personen');
});
