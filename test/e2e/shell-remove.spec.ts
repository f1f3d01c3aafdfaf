/**
 * The organizer removes someone from the roster, after saying yes a second time; the removed page
 * ends on "removed" in its own words (also when it learns it after a reconnect), and a Rejoin
 * waits in the lobby until the organizer admits it. Roster tags are badges apart from the name, so
 * a guest named "Mallory (Organizer)" does not get the badge.
 */
import { ALICE, expect, organizerLink, rosterNames, test } from './shell-helpers';

/** The words a page shows for a lost connection: a removed person must never read them. */
const DISCONNECT_TEXT = 'lost the connection';

test('the organizer removes a guest, whose page ends on "removed"; names cannot pass for tags', async ({
  people,
  pool,
}) => {
  const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const guest = await people.join(pool.url(ALICE), 'Bob Guest');
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
  const mallory = await people.join(pool.url(ALICE), 'Mallory (Organizer)');
  await expect(mallory.getByTestId('in-meeting')).toBeVisible();
  await expect.poll(() => rosterNames(organizer)).toEqual(['Alice Organizer', 'Bob Guest', 'Mallory (Organizer)']);

  // The name is text; the badges are their own elements, and Mallory has none but the "You" one.
  const malloryEntry = guest.getByTestId('roster-entry').filter({ hasText: 'Mallory' });
  await expect(malloryEntry.locator('.tag')).toHaveCount(0);
  await expect(guest.getByTestId('roster-entry').filter({ hasText: 'Alice' }).locator('.tag')).toHaveText([
    'Organizer',
  ]);
  await expect(mallory.getByTestId('roster-entry').filter({ hasText: 'Mallory' }).locator('.tag')).toHaveText(['You']);

  // Only the organizer can remove, and never themselves.
  await expect(guest.getByTestId('roster-remove')).toHaveCount(0);
  await expect(organizer.getByTestId('roster-remove')).toHaveCount(2);
  await expect(
    organizer.getByTestId('roster-entry').filter({ hasText: 'Alice' }).getByTestId('roster-remove'),
  ).toHaveCount(0);

  const remove = organizer.getByRole('button', { name: 'Remove Mallory (Organizer) from the meeting' });
  await expect(remove).toHaveAttribute('data-testid', 'roster-remove');
  // A click asks first (the flow below checks Cancel, Escape and focus); only "Yes, remove" removes.
  const confirm = organizer.getByTestId('roster-remove-confirm');
  await remove.click();
  await confirm.click();
  const ended = mallory.getByTestId('meeting-ended');
  await expect(ended).toHaveAttribute('data-reason', 'removed');
  await expect(ended).toContainText('You were removed from the meeting');
  await expect(ended).not.toContainText(DISCONNECT_TEXT);
  for (const page of [organizer, guest]) {
    await expect.poll(() => rosterNames(page)).toEqual(['Alice Organizer', 'Bob Guest']);
  }
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
});

test('a removed guest who presses Rejoin waits in the lobby until the organizer admits them', async ({
  people,
  pool,
}) => {
  const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const mallory = await people.join(pool.url(ALICE), 'Mallory');
  await expect(mallory.getByTestId('in-meeting')).toBeVisible();
  const remove = organizer.getByRole('button', { name: 'Remove Mallory from the meeting' });
  // A click asks first, with focus on the answer; Cancel (or Escape) removes nobody.
  await remove.click();
  const confirm = organizer.getByTestId('roster-remove-confirm');
  await expect(confirm).toBeFocused();
  await expect(organizer.getByTestId('roster-remove-confirmation')).toContainText('Remove Mallory from the meeting?');
  await organizer.getByTestId('roster-remove-cancel').click();
  await expect(confirm).toHaveCount(0);
  await expect(remove).toBeFocused();
  await remove.press('Enter');
  await expect(confirm).toBeFocused();
  await organizer.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(mallory.getByTestId('in-meeting')).toBeVisible();
  await remove.click();
  await confirm.click();
  await expect(mallory.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'removed');
  // Same tab: its former token and its address both say who this is.
  await mallory.getByRole('button', { name: 'Rejoin' }).click();
  await mallory.getByTestId('display-name').fill('Not Mallory');
  await mallory.getByTestId('join-submit').click();
  await expect(mallory.getByTestId('lobby')).toBeVisible();
  await expect(organizer.getByTestId('lobby-guest')).toHaveText(/Not Mallory/);
  await expect.poll(() => rosterNames(organizer)).toEqual(['Alice Organizer']);
  await organizer.getByRole('button', { name: 'Admit Not Mallory' }).click();
  await expect(mallory.getByTestId('in-meeting')).toBeVisible();
  await expect.poll(() => rosterNames(organizer)).toEqual(['Alice Organizer', 'Not Mallory']);
});

test('a guest removed while offline reads "removed" when the page reconnects, not "lost the connection"', async ({
  people,
  pool,
}) => {
  const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const guest = await people.join(pool.url(ALICE), 'Offline Guest');
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
  await guest.context().setOffline(true);
  await expect(guest.getByTestId('reconnecting')).toBeVisible();
  await organizer.getByRole('button', { name: 'Remove Offline Guest from the meeting' }).click();
  await organizer.getByTestId('roster-remove-confirm').click();
  await expect.poll(() => rosterNames(organizer)).toEqual(['Alice Organizer']);
  await guest.context().setOffline(false);
  const ended = guest.getByTestId('meeting-ended');
  await expect(ended).toHaveAttribute('data-reason', 'removed');
  await expect(ended).not.toContainText(DISCONNECT_TEXT);
});
