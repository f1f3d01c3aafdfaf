/** Two and three people in one meeting: roster, chat both ways, organizer ends it for everyone. */
import { ALICE, chatLog, expect, organizerLink, rosterNames, say, test } from './shell-helpers';

test('guest and organizer chat both ways; a third guest sees it all; the organizer ends the meeting for all', async ({
  people,
  pool,
}) => {
  const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const guest = await people.join(pool.url(ALICE), 'Bob Guest');
  await expect(guest.getByTestId('in-meeting')).toBeVisible();

  for (const page of [organizer, guest]) {
    await expect.poll(() => rosterNames(page)).toEqual(['Alice Organizer', 'Bob Guest']);
  }
  await expect(guest.getByTestId('roster-entry').first()).toContainText('Organizer');

  await say(guest, 'Hello from the guest');
  await say(organizer, 'Hi Bob, welcome');
  const expected = ['Bob Guest: Hello from the guest', 'Alice Organizer: Hi Bob, welcome'];
  await expect.poll(() => chatLog(organizer)).toEqual(expected);
  await expect.poll(() => chatLog(guest)).toEqual(expected);

  const third = await people.join(pool.url(ALICE), 'Carla Third');
  await expect(third.getByTestId('in-meeting')).toBeVisible();
  await expect(third.getByTestId('elapsed')).toHaveText(/^\d{2}:\d{2}$/);
  await expect.poll(() => rosterNames(guest)).toEqual(['Alice Organizer', 'Bob Guest', 'Carla Third']);
  await say(third, 'Sorry I am late');
  for (const page of [organizer, guest, third]) {
    await expect.poll(() => chatLog(page)).toEqual(expect.arrayContaining(['Carla Third: Sorry I am late']));
  }

  // Mute shows in everyone's roster.
  await guest.getByTestId('mute').click();
  await expect(guest.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  await expect(organizer.getByTestId('roster-entry').filter({ hasText: 'Bob Guest' })).toContainText('Muted');

  // Guests have no end button; the organizer's asks first.
  await expect(guest.getByTestId('end-meeting')).toHaveCount(0);
  await organizer.getByTestId('end-meeting').click();
  await organizer.getByTestId('end-meeting-confirm').click();
  for (const page of [organizer, guest, third]) {
    await expect(page.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'ended');
  }
  await expect(guest.getByTestId('meeting-ended')).toContainText('ended the meeting for everyone');
});

test('a guest who leaves disappears from the others’ roster', async ({ people, pool }) => {
  const a = await people.join(pool.url(ALICE), 'Ann');
  await expect(a.getByTestId('in-meeting')).toBeVisible();
  const b = await people.join(pool.url(ALICE), 'Ben');
  await expect.poll(() => rosterNames(a)).toEqual(['Ann', 'Ben']);
  await b.getByTestId('leave').click();
  await expect(b.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'left');
  await expect.poll(() => rosterNames(a)).toEqual(['Ann']);
});

test('the organizer key never reaches a guest', async ({ people, pool }) => {
  const link = await organizerLink(pool, ALICE);
  const key = new URL(link).hash.replace('#organizerKey=', '');
  expect(key.length).toBeGreaterThan(10);
  const organizer = await people.join(link, 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();

  const bodies: string[] = [];
  const guest = await people.newPage();
  guest.on('response', async (response) => {
    // Event streams never finish; their text is read from the page instead.
    if (!response.url().includes('/events')) bodies.push(await response.text().catch(() => ''));
  });
  await guest.goto(pool.url(ALICE));
  await guest.getByTestId('join-web').click();
  await guest.getByTestId('display-name').fill('Curious Guest');
  await guest.getByTestId('join-submit').click();
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
  await say(organizer, 'hello');
  await expect.poll(() => chatLog(guest)).toEqual(['Alice Organizer: hello']);
  expect(bodies.length).toBeGreaterThan(3);
  for (const body of bodies) expect(body).not.toContain(key);
  expect(await guest.content()).not.toContain(key);
});
