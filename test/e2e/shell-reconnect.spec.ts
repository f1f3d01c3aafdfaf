/** Network trouble: the event stream drops, the page says so, and resumes with every message once. */
import { ALICE, chatLog, expect, organizerLink, say, test } from './shell-helpers';

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

test('a refused stream is retried while the server still knows the person, and ends when it does not', async ({
  people,
  pool,
}) => {
  const guest = await people.join(pool.url(ALICE), 'Refused Guest');
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
  const other = await people.join(pool.url(ALICE), 'Other');
  await expect(other.getByTestId('in-meeting')).toBeVisible();

  // A load balancer answers 503 for a while: the page checks it is still in, and retries.
  let refusals = 0;
  await guest.route('**/api/v1/participants/*/events*', (route) => {
    refusals++;
    return route.fulfill({ status: 503, body: 'busy' });
  });
  // The stream is cut for sure (the page says so) before the network comes back to the 503s; going
  // back online at once could leave the old stream standing, with nothing to retry.
  await guest.context().setOffline(true);
  await expect(guest.getByTestId('reconnecting')).toBeVisible();
  await guest.context().setOffline(false);
  await expect.poll(() => refusals).toBeGreaterThanOrEqual(2);
  await expect(guest.getByTestId('reconnecting')).toBeVisible();
  await say(other, 'while refused');
  await guest.unroute('**/api/v1/participants/*/events*');
  await expect.poll(() => chatLog(guest)).toEqual(['Other: while refused']);
  await expect(guest.getByTestId('reconnecting')).toHaveCount(0);

  // A restarted server no longer knows the token: the page says so instead of retrying forever.
  await guest.route('**/api/v1/participants/*/events*', (route) => route.fulfill({ status: 401, body: '{}' }));
  await guest.route(/\/api\/v1\/participants\/[^/]+$/, (route) =>
    route.fulfill({ status: 401, contentType: 'application/json', body: '{"code":"not-a-participant"}' }),
  );
  await guest.context().setOffline(true);
  await guest.context().setOffline(false);
  await expect(guest.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'disconnected');
});
