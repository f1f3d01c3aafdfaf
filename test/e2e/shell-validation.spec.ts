/** Bad names, over-long or hostile messages, guests refused, and the remembered name. */
import { DISPLAY_NAME_KEY } from '../../src/client/meeting/remembered-name';
import { openMeeting, storageSnapshot } from './fixtures';
import { ALICE, chatLog, expect, organizerLink, test } from './shell-helpers';

const API = '/api/v1';

test('bad names are refused with a clear message and no join request', async ({ page, pool }) => {
  await openMeeting(page, pool.url(ALICE));
  await page.getByTestId('join-web').click();
  const cases: [string, RegExp][] = [
    ['', /Enter your name/],
    ['    ', /Enter your name/],
    ['x'.repeat(65), /at most 64 characters/],
    ['Bob\u202Eevil', /characters that cannot be shown/],
    ['Tab\there', /characters that cannot be shown/],
  ];
  for (const [name, message] of cases) {
    await page.getByTestId('display-name').fill(name);
    await page.getByTestId('join-submit').click();
    await expect(page.getByTestId('join-problem')).toHaveText(message);
    await expect(page.getByTestId('display-name')).toHaveAttribute('aria-invalid', 'true');
  }
  expect(pool.received.filter((r) => r.method === 'POST' && r.url.includes('/participants'))).toEqual([]);
  // Surrounding spaces are trimmed, 64 characters are fine.
  await page.getByTestId('display-name').fill(`  ${'y'.repeat(64)}  `);
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await expect(page.getByTestId('roster-entry')).toContainText('y'.repeat(64));
});

test('the server refuses what the page would: bad names, long or empty messages, wrong tokens', async ({
  request,
  pool,
}) => {
  const join = (body: unknown) => request.post(pool.url(`${API}/meetings/alice/7Q3DSSYV/participants`), { data: body });
  expect((await (await join({ displayName: 'z'.repeat(65) })).json()).code).toBe('name-too-long');
  expect((await (await join({ displayName: 'a\u0000b' })).json()).code).toBe('name-invalid-characters');
  expect((await join({ displayName: 'Eve', organizerKey: 'wrong-key-123' })).status()).toBe(403);
  const joined = await join({ displayName: 'API Guest' });
  expect(joined.status()).toBe(201);
  const { participantId, token, role } = await joined.json();
  expect(role).toBe('guest');

  const chat = (text: string, auth = token) =>
    request.post(pool.url(`${API}/participants/${participantId}/chat`), {
      headers: { authorization: `Bearer ${auth}` },
      data: { text, clientMessageId: `cm-${text.length}-${Math.random().toString(36).slice(2)}` },
    });
  const tooLong = await chat('m'.repeat(2001));
  expect(tooLong.status()).toBe(400);
  expect((await tooLong.json()).code).toBe('chat-too-long');
  expect((await (await chat('   ')).json()).code).toBe('chat-empty');
  expect((await chat('fine', 'not-the-token')).status()).toBe(401);
  expect((await chat('m'.repeat(2000))).status()).toBe(201);
  const stream = await request.get(pool.url(`${API}/participants/${participantId}/events?token=wrong`));
  expect(stream.status()).toBe(401);
  // A guest cannot end the meeting or admit anyone.
  const end = await request.post(pool.url(`${API}/participants/${participantId}/end`), {
    headers: { authorization: `Bearer ${token}` },
    data: {},
  });
  expect(end.status()).toBe(403);
});

test('an over-long message is refused with a clear message; HTML is shown as text', async ({ people, pool }) => {
  const page = await people.join(pool.url(ALICE), 'Text Only');
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await page.getByTestId('chat-input').fill('w'.repeat(2001));
  await expect(page.getByText('2001 of 2000 characters')).toBeVisible();
  await page.getByTestId('chat-send').click();
  await expect(page.getByTestId('chat-problem')).toHaveText(/at most 2,000 characters/);
  await expect(page.getByTestId('chat-message')).toHaveCount(0);
  // The draft stays, so the person can shorten it.
  await expect(page.getByTestId('chat-input')).toHaveValue('w'.repeat(2001));
  expect(pool.received.filter((r) => r.url.endsWith('/chat'))).toEqual([]);

  const hostile = '<img src=x onerror="document.title=\'pwned\'"><b>bold</b>';
  await page.getByTestId('chat-input').fill(hostile);
  await page.getByTestId('chat-send').click();
  await expect(page.getByTestId('chat-problem')).toHaveText('');
  await expect.poll(() => chatLog(page)).toEqual([`Text Only: ${hostile}`]);
  await expect(page.getByTestId('chat-message').locator('img, b')).toHaveCount(0);
  expect(await page.title()).not.toBe('pwned');
});

test('when guests are not allowed, the prejoin says so; the organizer link still joins', async ({ people, pool }) => {
  const set = await pool.admin('set', '--AllowAnonymousJoin', 'false');
  expect(set.code, set.stderr).toBe(0);
  // The launcher refuses a guest at once, before any join request.
  const guest = await people.newPage();
  await openMeeting(guest, pool.url(ALICE));
  await guest.getByTestId('join-web').click();
  await expect(guest.getByTestId('error')).toHaveAttribute('data-error-code', 'anonymous-join-not-allowed');
  // A guest who reaches the join anyway is refused by the server.
  const refused = await guest.request.post(pool.url('/api/v1/meetings/alice/7Q3DSSYV/participants'), {
    data: { displayName: 'Shut Out' },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).code).toBe('anonymous-join-not-allowed');

  const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
});

test('the name is remembered on this device, under one key, for the next join', async ({ page, pool }) => {
  await openMeeting(page, pool.url(ALICE));
  await page.getByTestId('join-web').click();
  await expect(page.getByTestId('display-name')).toHaveValue('');
  await page.getByTestId('display-name').fill('  Remembered Rita ');
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  expect(await storageSnapshot(page)).toEqual({
    localStorage: [DISPLAY_NAME_KEY],
    sessionStorage: [],
    indexedDB: [],
    cookies: [],
  });
  await openMeeting(page, pool.url(ALICE));
  await page.getByTestId('join-web').click();
  await expect(page.getByTestId('display-name')).toHaveValue('Remembered Rita');
});
