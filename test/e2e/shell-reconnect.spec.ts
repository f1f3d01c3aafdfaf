/** Network trouble: the event stream drops, the page says so, and resumes with every message once. */
import { expect } from './fixtures';
import { ALICE, chatLog, organizerLink, say, test } from './shell-helpers';

test.describe.configure({ timeout: 90_000 });

test('the stream drops and resumes where it stopped: no message lost or doubled', async ({ people, pool }) => {
  const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const guest = await people.join(pool.url(ALICE), 'Bob Guest');
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
  await say(organizer, 'before the drop');
  await expect.poll(() => chatLog(guest)).toEqual(['Alice Organizer: before the drop']);

  // The connection goes away, and every attempt to reopen the stream is aborted for a while.
  let aborted = 0;
  await guest.route('**/api/v1/participants/*/events*', (route) => {
    aborted++;
    return route.abort('connectionreset');
  });
  await guest.context().setOffline(true);
  await expect(guest.getByTestId('reconnecting')).toBeVisible();

  await say(organizer, 'during the drop 1');
  await say(organizer, 'during the drop 2');

  await guest.context().setOffline(false);
  await expect.poll(() => aborted).toBeGreaterThanOrEqual(2);
  await expect(guest.getByTestId('reconnecting')).toBeVisible();
  await say(organizer, 'during the drop 3');
  const resumed = guest.waitForRequest((r) => r.url().includes('/events'));
  await guest.unroute('**/api/v1/participants/*/events*');
  const resumedWith = await resumed;
  // It resumes after the last event it saw, not from the start.
  const lastSeen =
    (await resumedWith.headerValue('last-event-id')) ?? new URL(resumedWith.url()).searchParams.get('lastEventId');
  expect(Number(lastSeen)).toBeGreaterThan(0);
  await expect(guest.getByTestId('reconnecting')).toHaveCount(0);
  await say(organizer, 'after the drop');
  const all = [
    'Alice Organizer: before the drop',
    'Alice Organizer: during the drop 1',
    'Alice Organizer: during the drop 2',
    'Alice Organizer: during the drop 3',
    'Alice Organizer: after the drop',
  ];
  await expect.poll(() => chatLog(guest)).toEqual(all);
  await say(guest, 'I am back');
  await expect.poll(() => chatLog(organizer)).toEqual([...all, 'Bob Guest: I am back']);
});
