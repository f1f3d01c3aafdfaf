/**
 * The organizer removes someone from the roster; the removed page ends on "removed". Roster tags
 * are badges apart from the name, so a guest named "Mallory (Organizer)" does not get the badge.
 */
import { ALICE, expect, organizerLink, rosterNames, test } from './shell-helpers';

test.describe.configure({ timeout: 180_000 });

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
  await remove.click();
  await expect(mallory.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'removed');
  for (const page of [organizer, guest]) {
    await expect.poll(() => rosterNames(page)).toEqual(['Alice Organizer', 'Bob Guest']);
  }
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
});
