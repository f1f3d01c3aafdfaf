/** The "Writing a QA flow" example of docs/qa.md, kept running so the page stays true. */
import { expect, isTelemetryHit, joinAsGuest, openMeeting, REPORT_POLL, test } from './fixtures';

test('pool02 counts a guest join once the admin turns telemetry on', async ({ page, pool }) => {
  await pool.admin('new', '--Identity', 'Service:WebServer:pool02.fabrikam.com', '--MeetingUxEnableTelemetry', 'true');
  // ?sl=1: the new document starts from product defaults, which try the desktop app on load.
  await openMeeting(page, pool.url('/carol/FAB12345?sl=1', 'meet.fabrikam.test'));
  await joinAsGuest(page, 'QA Guest');
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await page.close({ runBeforeUnload: true }); // the beacon flushes the queue
  await expect.poll(async () => (await pool.reportFor('pool02.fabrikam.com')).joinSuccesses, REPORT_POLL).toBe(1);
  expect(pool.received.filter(isTelemetryHit).every((r) => !r.body.includes('QA Guest'))).toBe(true);
});
