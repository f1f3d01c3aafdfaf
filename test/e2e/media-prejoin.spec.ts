/** The device check before joining, a denied permission, and every track stopping at the end. */

import { openMeeting } from './fixtures';
import {
  expectVideoFlowing,
  launchDenyingBrowser,
  recordTracks,
  selfId,
  soundFrom,
  trackStates,
} from './media-helpers';
import { ALICE, expect, KENMYER, organizerLink, say, test } from './shell-helpers';
import { setTelemetry, storedEvents } from './telemetry-helpers';

test('the prejoin previews the camera, the meter moves, and toggles join with camera and microphone off', async ({
  pool,
  people,
}) => {
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const ben = await people.newPage();
  await openMeeting(ben, pool.url(`${ALICE}?sl=1`));
  await ben.getByTestId('join-web').click();
  const preview = ben.getByTestId('device-preview');
  await expect(preview).toHaveAttribute('data-camera', 'on');
  await expect
    .poll(() =>
      preview.locator('video').evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames),
    )
    .toBeGreaterThan(5);
  // The fake microphone beeps: the meter moves.
  await expect
    .poll(async () => Number(await ben.getByTestId('mic-level').getAttribute('data-level')))
    .toBeGreaterThan(0.05);
  const mic = ben.getByTestId('mic-toggle');
  const camera = ben.getByTestId('camera-toggle');
  await expect(mic).toHaveAttribute('aria-pressed', 'true');
  await expect(camera).toHaveAttribute('aria-pressed', 'true');
  await mic.click();
  await camera.click();
  await expect(mic).toHaveAttribute('aria-pressed', 'false');
  await expect(camera).toHaveAttribute('aria-pressed', 'false');
  await expect(preview).toHaveAttribute('data-camera', 'off');
  await expect(ben.getByTestId('mic-level')).toHaveAttribute('data-level', '0');
  await ben.getByTestId('display-name').fill('Ben Ode');
  await ben.getByTestId('join-submit').click();
  await expect(ben.getByTestId('in-meeting')).toBeVisible();
  await expect(ben.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  await expect(ben.getByTestId('camera')).toHaveAttribute('aria-pressed', 'false');
  const benId = await selfId(ben);
  const benTile = ann.locator(`[data-testid="media-tile"][data-participant-id="${benId}"]`);
  await expect(benTile).toHaveAttribute('data-camera', 'off');
  await expect(benTile).toContainText('Muted');
  await expect(ann.getByTestId('roster-entry').filter({ hasText: 'Ben Ode' })).toContainText('Muted');
  // Ben still sees and hears Ann.
  const annId = await selfId(ann);
  await expectVideoFlowing(ben, annId);
  await expect.poll(() => soundFrom(ben, annId)).toBeGreaterThan(0.01);
});

test('a denied permission says what happened and how to fix it, still joins with chat, and is reported', async ({
  pool,
  people,
}) => {
  await setTelemetry(pool, true);
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const denying = await launchDenyingBrowser();
  try {
    const ben = await (await denying.newContext()).newPage();
    const errors: string[] = [];
    ben.on('pageerror', (error) => errors.push(error.message));
    await openMeeting(ben, pool.url(`${ALICE}?sl=1`));
    await ben.getByTestId('join-web').click();
    await expect(ben.getByTestId('media-problem')).toContainText('not allowed to use the camera or microphone');
    await expect(ben.getByTestId('mic-toggle')).toHaveAttribute('aria-pressed', 'false');
    await expect(ben.getByTestId('camera-toggle')).toHaveAttribute('aria-pressed', 'false');
    await ben.getByTestId('display-name').fill('Ben Ode');
    await ben.getByTestId('join-submit').click();
    await expect(ben.getByTestId('in-meeting')).toBeVisible();
    await say(ben, 'I can only type');
    await expect(ann.getByTestId('chat-text')).toHaveText(['I can only type']);
    // Ben still sees Ann; Ann sees Ben's initials, muted.
    await expectVideoFlowing(ben, await selfId(ann));
    const benTile = ann.locator(`[data-testid="media-tile"][data-participant-id="${await selfId(ben)}"]`);
    await expect(benTile).toHaveAttribute('data-camera', 'off');
    await expect(benTile).toContainText('Muted');
    expect(errors).toEqual([]);
    await ben.close({ runBeforeUnload: true });
    await expect
      .poll(() => storedEvents(pool).filter((e) => e.metric === 'media:permission-denied').length, { timeout: 30_000 })
      .toBe(1);
  } finally {
    await denying.close();
  }
});

test('leaving, and the meeting ending, stop every camera and microphone track', async ({ pool, people }) => {
  const organizer = await people.newPage();
  await recordTracks(organizer);
  await openMeeting(organizer, await organizerLink(pool, ALICE));
  await organizer.getByTestId('join-web').click();
  await organizer.getByTestId('display-name').fill('Alice');
  await organizer.getByTestId('join-submit').click();
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();

  const guest = await people.newPage();
  await recordTracks(guest);
  await openMeeting(guest, pool.url(`${ALICE}?sl=1`));
  await guest.getByTestId('join-web').click();
  await guest.getByTestId('display-name').fill('Ben Ode');
  await guest.getByTestId('join-submit').click();
  await expectVideoFlowing(guest, await selfId(organizer));
  expect(await trackStates(guest)).toContain('video:live');

  await guest.getByTestId('leave').click();
  await expect(guest.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'left');
  await expect.poll(() => trackStates(guest)).not.toContain('video:live');
  expect((await trackStates(guest)).every((state) => state.endsWith(':ended'))).toBe(true);

  // Rejoin, then the organizer ends the meeting for everyone.
  await guest.getByRole('button', { name: 'Rejoin' }).click();
  await guest.getByTestId('join-submit').click();
  await expectVideoFlowing(guest, await selfId(organizer));
  await organizer.getByTestId('end-meeting').click();
  await organizer.getByTestId('end-meeting-confirm').click();
  await expect(guest.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'ended');
  for (const page of [guest, organizer]) {
    await expect.poll(async () => (await trackStates(page)).every((state) => state.endsWith(':ended'))).toBe(true);
  }
});

test('the media code is its own chunk, requested only when the prejoin shows', async ({ page, pool, requests }) => {
  const isMediaChunk = (url: string) => /\/assets\/media-[\w-]+\.js$/.test(new URL(url).pathname);
  await openMeeting(page, pool.url(`${ALICE}?sl=1`));
  await expect(page.getByTestId('join-web')).toBeVisible();
  expect(requests.filter((r) => isMediaChunk(r.url) && !r.byServiceWorker)).toEqual([]);
  await page.getByTestId('join-web').click();
  await expect(page.getByTestId('device-preview')).toHaveAttribute('data-camera', 'on');
  expect(requests.filter((r) => isMediaChunk(r.url) && !r.byServiceWorker)).toHaveLength(1);
});

test('in the lobby the guest still sees their camera and can turn it off; admitted, the call starts', async ({
  pool,
  people,
}) => {
  const organizer = await people.join(await organizerLink(pool, KENMYER), 'Ken Organizer');
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const guest = await people.join(pool.url(`${KENMYER}?sl=1`), 'Ben Ode');
  await expect(guest.getByTestId('lobby')).toBeVisible();
  await expect(guest.getByTestId('device-preview')).toHaveAttribute('data-camera', 'on');
  await guest.getByTestId('camera-toggle').click();
  await expect(guest.getByTestId('device-preview')).toHaveAttribute('data-camera', 'off');
  await organizer.getByTestId('lobby-admit').click();
  await expect(guest.getByTestId('in-meeting')).toBeVisible();
  await expectVideoFlowing(guest, await selfId(organizer));
  const guestId = await selfId(guest);
  const guestTile = organizer.locator(`[data-testid="media-tile"][data-participant-id="${guestId}"]`);
  await expect(guestTile).toHaveAttribute('data-camera', 'off');
  await expect.poll(() => soundFrom(organizer, guestId)).toBeGreaterThan(0.01);
});
