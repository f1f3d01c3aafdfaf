/**
 * One call between the two engines: Ann joins from the project's browser, Ben from the other
 * engine (launched here, as the config's projects launch it), and each sees the other and hears the
 * other. The config runs it in the firefox project only (Ann in Firefox, Ben in Chromium), so the
 * chromium project, the suite's long one, does not carry it.
 *
 * Sound is `soundFrom` on both sides: Web Audio in Chromium, a recording decoded offline in
 * Firefox (headless Firefox without a sound device never starts an AudioContext).
 */
import { chromium, firefox } from '@playwright/test';
import { launchOptionsFor } from './browser';
import { openMeeting } from './fixtures';
import { expectVideoFlowing, selfId, soundFrom } from './media-helpers';
import { ALICE, expect, test } from './shell-helpers';

test('a guest in Chromium and a guest in Firefox see and hear each other', async ({
  pool,
  people,
  launchGuard,
  browserName,
}) => {
  const otherEngine = browserName === 'firefox' ? 'chromium' : 'firefox';
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const other = await (otherEngine === 'firefox' ? firefox : chromium).launch(launchOptionsFor(otherEngine));
  try {
    const context = await other.newContext();
    await launchGuard.watch(context);
    const ben = await context.newPage();
    await openMeeting(ben, pool.url(`${ALICE}?sl=1`));
    await ben.getByTestId('join-web').click();
    await ben.getByTestId('display-name').fill('Ben Ode');
    await ben.getByTestId('join-submit').click();
    await expect(ann.getByTestId('media-tile')).toHaveCount(2);
    await expect(ben.getByTestId('media-tile')).toHaveCount(2);
    const annId = await selfId(ann);
    const benId = await selfId(ben);
    await Promise.all([expectVideoFlowing(ann, benId), expectVideoFlowing(ben, annId)]);
    await Promise.all([
      expect.poll(() => soundFrom(ann, benId), { timeout: 30_000 }).toBeGreaterThan(0.01),
      expect.poll(() => soundFrom(ben, annId), { timeout: 30_000 }).toBeGreaterThan(0.01),
    ]);
    await expect(ben.locator(`[data-testid="media-tile"][data-participant-id="${annId}"]`)).toContainText('Ann Lee');
    await expect(ann.locator(`[data-testid="media-tile"][data-participant-id="${benId}"]`)).toContainText('Ben Ode');
    await context.close();
  } finally {
    await other.close();
  }
});
