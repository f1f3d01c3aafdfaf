/**
 * One call between the two engines: Ann joins from Chromium (the suite's browser), Ben from
 * Firefox (Debian's Firefox ESR over WebDriver BiDi, launched here), and each sees the other and
 * gets the other's sound. Runs once, in the chromium project (the firefox project does not match
 * this file).
 *
 * Ann's ears are Web Audio, as in media-call.spec.ts. Headless Firefox without a sound device never
 * starts an AudioContext (it stays `suspended`, reading silence), so Ben's are the call's own
 * statistics: his live audio track, and audio RTP from Ann that keeps arriving.
 */
import { firefox } from '@playwright/test';
import { launchOptionsFor } from './browser';
import { expectVideoFlowing, recordPeerConnections, rtpBytes, selfId, soundFrom } from './media-helpers';
import { ALICE, expect, test } from './shell-helpers';

test('a guest in Chromium and a guest in Firefox see each other and get each other’s sound', async ({
  pool,
  people,
  launchGuard,
  browserName,
}) => {
  test.skip(browserName !== 'chromium', 'the Chromium side is the project’s browser');
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const other = await firefox.launch(launchOptionsFor('firefox'));
  try {
    const context = await other.newContext();
    await launchGuard.watch(context);
    const ben = await context.newPage();
    await recordPeerConnections(ben);
    await ben.goto(pool.url(`${ALICE}?sl=1`));
    await ben.getByTestId('join-web').click();
    await ben.getByTestId('display-name').fill('Ben Ode');
    await ben.getByTestId('join-submit').click();
    await expect(ann.getByTestId('media-tile')).toHaveCount(2);
    await expect(ben.getByTestId('media-tile')).toHaveCount(2);
    const annId = await selfId(ann);
    const benId = await selfId(ben);
    await Promise.all([expectVideoFlowing(ann, benId), expectVideoFlowing(ben, annId)]);
    await expect.poll(() => soundFrom(ann, benId), { timeout: 30_000 }).toBeGreaterThan(0.01);
    const heard = (await rtpBytes(ben)).audioIn;
    await expect.poll(async () => (await rtpBytes(ben)).audioIn, { timeout: 30_000 }).toBeGreaterThan(heard + 1000);
    await expect(ben.locator(`[data-testid="media-tile"][data-participant-id="${annId}"]`)).toContainText('Ann Lee');
    await expect(ann.locator(`[data-testid="media-tile"][data-participant-id="${benId}"]`)).toContainText('Ben Ode');
    await context.close();
  } finally {
    await other.close();
  }
});
