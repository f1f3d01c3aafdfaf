/** axe on the prejoin (device check running) and the meeting (video tiles); keyboard-only join, mute, camera, leave. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { openMeeting } from './fixtures';
import { expectVideoFlowing, selfId } from './media-helpers';
import { ALICE, expect, say, test } from './shell-helpers';

async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  // AxeBuilder finishes its run in a blank page of its own in the same context and closes it; the
  // flow's page is the tab in front again, as for a person (Playwright 1.64, the version pinned
  // for Firefox, then waits for a frame that never comes on the next click in Chromium).
  await page.bringToFront();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on the ${screen} screen`).toEqual([]);
}

async function tabTo(page: Page, testId: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${testId} cannot be reached with Tab`);
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 360, height: 740 },
]) {
  test(`axe finds nothing on the prejoin and the meeting with media (${viewport.width}px)`, async ({
    pool,
    people,
  }) => {
    const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
    const ben = await people.newPage({ viewport });
    await openMeeting(ben, pool.url(`${ALICE}?sl=1`));
    await ben.getByTestId('join-web').click();
    await expect(ben.getByTestId('device-preview')).toHaveAttribute('data-camera', 'on');
    await ben.getByText('Choose devices').click();
    await expect(ben.locator('#pick-camera')).toBeVisible();
    await expectNoAxeViolations(ben, 'prejoin with the device check');
    await ben.getByTestId('display-name').fill('Ben Ode');
    await ben.getByTestId('join-submit').click();
    await expectVideoFlowing(ben, await selfId(ann));
    await say(ann, 'Agenda: https://contoso.test/agenda');
    await expect(ben.getByTestId('chat-text').getByRole('link')).toBeVisible();
    await expectNoAxeViolations(ben, 'meeting with video tiles');
    await ben.getByTestId('camera').click();
    await ben.getByTestId('mute').click();
    await expect(ben.getByTestId('media-tile').first()).toHaveAttribute('data-camera', 'off');
    await expectNoAxeViolations(ben, 'meeting with camera off and muted');
  });
}

test('keyboard only: join with the camera off, mute, camera on, leave', async ({ pool, people }) => {
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const ben = await people.newPage();
  await openMeeting(ben, pool.url(`${ALICE}?sl=1`));
  await tabTo(ben, 'join-web');
  await ben.keyboard.press('Enter');
  await expect(ben.getByTestId('device-preview')).toHaveAttribute('data-camera', 'on');
  await tabTo(ben, 'camera-toggle');
  await ben.keyboard.press('Space');
  await expect(ben.getByTestId('camera-toggle')).toHaveAttribute('aria-pressed', 'false');
  await tabTo(ben, 'display-name');
  await ben.keyboard.type('Ben Ode');
  await ben.keyboard.press('Enter');
  await expect(ben.getByTestId('in-meeting')).toBeVisible();
  const benId = await selfId(ben);
  const benTile = ann.locator(`[data-testid="media-tile"][data-participant-id="${benId}"]`);
  await expect(benTile).toHaveAttribute('data-camera', 'off');

  await tabTo(ben, 'mute');
  await ben.keyboard.press('Space');
  await expect(ben.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  await expect(benTile).toContainText('Muted');
  await tabTo(ben, 'camera');
  await ben.keyboard.press('Enter');
  await expect(ben.getByTestId('camera')).toHaveAttribute('aria-pressed', 'true');
  await expect(benTile).toHaveAttribute('data-camera', 'on');
  await expectVideoFlowing(ann, benId);
  await tabTo(ben, 'leave');
  await ben.keyboard.press('Enter');
  await expect(ben.getByTestId('meeting-ended')).toHaveAttribute('data-reason', 'left');
  await expect(ann.getByTestId('media-tile')).toHaveCount(1);
});
