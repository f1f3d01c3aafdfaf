/** The lobby: guests wait, the organizer admits or denies them, a guest may cancel. */
import { chatLog, expect, KENMYER, organizerLink, rosterNames, say, test } from './shell-helpers';

test('the organizer admits one guest and denies another; a waiting guest can cancel', async ({ people, pool }) => {
  const organizer = await people.join(await organizerLink(pool, KENMYER), 'Ken Organizer');
  // The organizer never waits in their own lobby.
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(0);

  const admitted = await people.join(pool.url(KENMYER), 'Wanda Waiting');
  await expect(admitted.getByTestId('lobby')).toBeVisible();
  await expect(admitted.getByTestId('lobby')).toContainText('Design review');
  const denied = await people.join(pool.url(KENMYER), 'Dan Denied');
  await expect(denied.getByTestId('lobby')).toBeVisible();

  // Chat in the meeting does not reach the lobby.
  await say(organizer, 'only for people inside');
  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(2);
  await expect(organizer.getByTestId('lobby-guest').first()).toContainText('Wanda Waiting');

  await organizer.getByRole('button', { name: 'Admit Wanda Waiting' }).click();
  await expect(admitted.getByTestId('in-meeting')).toBeVisible();
  await expect.poll(() => rosterNames(organizer)).toEqual(['Ken Organizer', 'Wanda Waiting']);
  await expect(admitted.getByTestId('chat-message')).toHaveCount(0);
  await say(admitted, 'thanks for letting me in');
  await expect.poll(() => chatLog(organizer)).toContain('Wanda Waiting: thanks for letting me in');

  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(1);
  await organizer.getByTestId('lobby-deny').click();
  await expect(denied.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'denied');
  await expect(denied.getByTestId('meeting-ended')).toContainText('declined your request');
  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(0);
  await expect.poll(() => rosterNames(organizer)).toEqual(['Ken Organizer', 'Wanda Waiting']);

  const cancels = await people.join(pool.url(KENMYER), 'Carl Cancels');
  await expect(organizer.getByTestId('lobby-guest')).toHaveText(/Carl Cancels/);
  await cancels.getByTestId('lobby-cancel').click();
  await expect(cancels.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'left');
  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(0);
});

test('a guest waits in the lobby before the organizer arrives, and is admitted then', async ({ people, pool }) => {
  const guest = await people.join(pool.url(KENMYER), 'Early Guest');
  await expect(guest.getByTestId('lobby')).toBeVisible();
  const organizer = await people.join(await organizerLink(pool, KENMYER), 'Ken Organizer');
  await expect(organizer.getByTestId('lobby-guest')).toHaveText(/Early Guest/);
  await organizer.getByTestId('lobby-admit').click();
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
});

test('ending the meeting also ends it for guests waiting in the lobby', async ({ people, pool }) => {
  const organizer = await people.join(await organizerLink(pool, KENMYER), 'Ken Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const guest = await people.join(pool.url(KENMYER), 'Still Waiting');
  await expect(organizer.getByTestId('lobby-guest')).toHaveCount(1);
  await organizer.getByTestId('end-meeting').click();
  await organizer.getByTestId('end-meeting-confirm').click();
  await expect(guest.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'ended');
  await expect(organizer.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'ended');
});
