/**
 * Audio and video in the meeting, with a fake camera and microphone. The first flow (two guests)
 * runs in Firefox too (the `firefox` project, playwright.config.ts); the rest in Chromium only.
 */
import { expectVideoFlowing, selfId, soundFrom } from './media-helpers';
import { ALICE, expect, test } from './shell-helpers';

test('two guests see each other’s video and hear each other', async ({ pool, people, browserName }) => {
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const ben = await people.join(pool.url(`${ALICE}?sl=1`), 'Ben Ode');
  await expect(ann.getByTestId('media-tile')).toHaveCount(2);
  await expect(ben.getByTestId('media-tile')).toHaveCount(2);
  const annId = await selfId(ann);
  const benId = await selfId(ben);
  await expectVideoFlowing(ann, benId);
  await expectVideoFlowing(ben, annId);
  await expect.poll(() => soundFrom(ann, benId)).toBeGreaterThan(0.01);
  await expect.poll(() => soundFrom(ben, annId)).toBeGreaterThan(0.01);
  const annTile = ben.locator(`[data-testid="media-tile"][data-participant-id="${annId}"]`);
  await expect(annTile).toContainText('Ann Lee');
  // The speaking light is the page's own Web Audio meter, which headless Firefox without a sound
  // device never starts (its AudioContext stays suspended): it is checked in Chromium, where the
  // fake microphone beeps and Ann's tile lights up as speaking on Ben's screen, then goes dark.
  if (browserName === 'chromium') {
    // The beeps come about once a second; a loaded machine may drop a few level samples.
    await expect(annTile).toHaveAttribute('data-speaking', 'true', { timeout: 30_000 });
    await expect(annTile).toHaveAttribute('data-speaking', 'false', { timeout: 30_000 });
  }
});

test('three guests: each sees and hears the two others', async ({ pool, people }) => {
  const pages = [];
  for (const name of ['Ann Lee', 'Ben Ode', 'Cy Park']) pages.push(await people.join(pool.url(`${ALICE}?sl=1`), name));
  for (const page of pages) await expect(page.getByTestId('media-tile')).toHaveCount(3);
  const ids = await Promise.all(pages.map(selfId));
  // The six directions are checked side by side: one after another, their waits added up past the
  // flow's deadline on a busy 2-core machine while every frame was flowing.
  const directions = pages.flatMap((page, i) => ids.filter((_, j) => j !== i).map((id) => ({ page, id })));
  await Promise.all(
    directions.map(async ({ page, id }) => {
      await expectVideoFlowing(page, id);
      await expect.poll(() => soundFrom(page, id), { timeout: 30_000 }).toBeGreaterThan(0.01);
    }),
  );
});

test('mute stops the sound the others receive and shows muted; camera off shows initials', async ({ pool, people }) => {
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const ben = await people.join(pool.url(`${ALICE}?sl=1`), 'Ben Ode');
  const benId = await selfId(ben);
  const benTile = ann.locator(`[data-testid="media-tile"][data-participant-id="${benId}"]`);
  await expectVideoFlowing(ann, benId);
  await expect.poll(() => soundFrom(ann, benId), { timeout: 30_000 }).toBeGreaterThan(0.01);

  await ben.getByTestId('mute').click();
  await expect(ben.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  await expect(benTile).toContainText('Muted');
  await expect(ann.getByTestId('roster-entry').filter({ hasText: 'Ben Ode' })).toContainText('Muted');
  // Nothing is sent any more: silence, however long one listens.
  await expect.poll(() => soundFrom(ann, benId, 2500)).toBe(0);
  await ben.getByTestId('mute').click();
  await expect.poll(() => soundFrom(ann, benId), { timeout: 30_000 }).toBeGreaterThan(0.01);
  await expect(benTile).not.toContainText('Muted');

  await ben.getByTestId('camera').click();
  await expect(ben.getByTestId('camera')).toHaveAttribute('aria-pressed', 'false');
  await expect(benTile).toHaveAttribute('data-camera', 'off');
  await expect(benTile.locator('.initials')).toHaveText('BO');
  await expect(benTile.locator('video')).not.toBeVisible();
  // Ben's own camera is off, not just hidden.
  const benVideoTracks = await ben.evaluate(
    () =>
      (document.querySelector('[data-testid="media-tile"] video') as HTMLVideoElement).srcObject instanceof
        MediaStream &&
      (
        (document.querySelector('[data-testid="media-tile"] video') as HTMLVideoElement).srcObject as MediaStream
      ).getVideoTracks().length,
  );
  expect(benVideoTracks).toBe(0);
  await ben.getByTestId('camera').click();
  await expect(benTile).toHaveAttribute('data-camera', 'on');
  await expectVideoFlowing(ann, benId);
});

test('a dropped network: the page reconnects by itself, media keeps flowing and catches up on what changed', async ({
  pool,
  people,
}) => {
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const ben = await people.join(pool.url(`${ALICE}?sl=1`), 'Ben Ode');
  const annId = await selfId(ann);
  const benId = await selfId(ben);
  await expectVideoFlowing(ben, annId);
  await ben.context().setOffline(true);
  await expect(ben.getByTestId('reconnecting')).toBeVisible();
  // While Ben's stream is down, Ann turns her camera off: that signal cannot reach him.
  await ann.getByTestId('camera').click();
  await expect(ann.getByTestId('camera')).toHaveAttribute('aria-pressed', 'false');
  await ben.context().setOffline(false);
  await expect(ben.getByTestId('reconnecting')).toBeHidden();
  const annTile = ben.locator(`[data-testid="media-tile"][data-participant-id="${annId}"]`);
  await expect(annTile).toHaveAttribute('data-camera', 'off');
  await ann.getByTestId('camera').click();
  await expect(annTile).toHaveAttribute('data-camera', 'on');
  await expectVideoFlowing(ben, annId);
  await expectVideoFlowing(ann, benId);
  await expect.poll(() => soundFrom(ann, benId)).toBeGreaterThan(0.01);
});
