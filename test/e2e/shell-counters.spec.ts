/** The shell's counters reach telemetry through `track` when the pool's flag is on. */

import path from 'node:path';
import Database from 'better-sqlite3';
import { isTelemetryHit, REPORT_POLL } from './fixtures';
import { ALICE, chatLog, expect, organizerLink, rosterNames, say, test } from './shell-helpers';

/** The telemetry client's flush interval while events wait (docs/privacy.md, "When it is sent"). */
const FLUSH_INTERVAL_MS = 15_000;

test('IMs sent and received, join successes, minutes and error reports with conversation context', async ({
  people,
  pool,
}) => {
  expect((await pool.admin('set', '--MeetingUxEnableTelemetry', 'true')).code).toBe(0);
  // Both pages run on Playwright's clock, so the flow can move them to their next 15 s flush.
  const organizer = await people.join(await organizerLink(pool, ALICE), 'Alice Organizer', { clock: true });
  await expect(organizer.getByTestId('in-meeting')).toBeVisible();
  const guest = await people.join(pool.url(ALICE), 'Counted Guest', { clock: true });
  await expect(guest.getByTestId('in-meeting')).toBeVisible();

  await say(guest, 'one');
  await say(guest, 'two');
  await say(organizer, 'three');
  await expect.poll(() => chatLog(guest)).toHaveLength(3);
  await expect.poll(() => chatLog(organizer)).toHaveLength(3);

  // A send that fails while offline is reported, with the conversation it belongs to.
  await guest.context().setOffline(true);
  await expect(guest.getByTestId('reconnecting')).toBeVisible();
  await guest.getByTestId('chat-input').fill('lost in the tunnel');
  await guest.getByTestId('chat-send').click();
  await expect(guest.getByTestId('chat-problem')).toHaveText(/not sent/);
  await guest.context().setOffline(false);
  await expect(guest.getByTestId('reconnecting')).toHaveCount(0);
  // Sending again after the network is back stores the message once.
  await guest.getByTestId('chat-send').click();
  await expect.poll(() => chatLog(organizer)).toHaveLength(4);
  // While the pages are open, the aggregated IM counts reach the service on the client's timer:
  // each look moves both pages' clocks past the flush interval.
  await expect
    .poll(async () => {
      for (const page of [guest, organizer]) await page.clock.fastForward(FLUSH_INTERVAL_MS);
      const r = await pool.reportFor('pool01.contoso.com');
      return { sent: r.imSent, received: r.imReceived };
    }, REPORT_POLL)
    .toEqual({ sent: 4, received: 4 });

  for (const page of [guest, organizer]) {
    await page.getByTestId('leave').click();
    await expect(page.getByTestId('meeting-ended')).toBeVisible();
    await page.close({ runBeforeUnload: true });
  }

  await expect
    .poll(async () => {
      const r = await pool.reportFor('pool01.contoso.com');
      return {
        attempts: r.joinAttempts,
        successes: r.joinSuccesses,
        sent: r.imSent,
        received: r.imReceived,
        partners: r.federationPartners,
      };
    }, REPORT_POLL)
    // Two people joined one meeting: the partner counts one meeting, not two joins.
    .toEqual({ attempts: 2, successes: 2, sent: 4, received: 4, partners: [{ domain: 'contoso.com', meetings: 1 }] });
  await expect
    .poll(async () => (await pool.reportFor('pool01.contoso.com')).meetingMinutes, REPORT_POLL)
    .toBeGreaterThan(0);

  const db = new Database(path.join(pool.dataDir, 'meet-launcher.sqlite'), { readonly: true });
  const errorReports = () =>
    (db.prepare(`SELECT data FROM telemetry_events WHERE type = 'error'`).all() as { data: string }[]).map(
      (r) => JSON.parse(r.data) as Record<string, unknown>,
    );
  // The error reports arrive with the pages' next deliveries: the chat failure and the stream outage.
  await expect
    .poll(() => {
      const codes = errorReports().map((e) => String(e.code));
      return codes.some((c) => c.startsWith('chat:')) && codes.includes('stream:dropped');
    })
    .toBe(true);
  const errors = errorReports();
  // Both joins name the meeting they joined (how the report counts one meeting, not two).
  const joins = (
    db.prepare(`SELECT data FROM telemetry_events WHERE type = 'usage' AND metric = 'joinSuccess'`).all() as {
      data: string;
    }[]
  ).map((r) => JSON.parse(r.data) as Record<string, unknown>);
  db.close();
  const chatError = errors.find((e) => String(e.code).startsWith('chat:'));
  expect(chatError).toMatchObject({ direction: 'outgoing', conversationState: 'in-meeting' });
  expect(String(chatError?.threadId)).toMatch(/^19:meeting_[\w-]+@thread\.v2$/);
  expect(errors.find((e) => e.code === 'stream:dropped')).toMatchObject({
    direction: 'incoming',
    conversationState: 'in-meeting',
    threadId: chatError?.threadId,
  });
  for (const error of errors) expect(JSON.stringify(error)).not.toContain('lost in the tunnel');
  expect(joins.map((j) => j.threadId)).toEqual([chatError?.threadId, chatError?.threadId]);
});

test('closing the tab counts the meeting minutes and takes the person out of the roster', async ({ people, pool }) => {
  expect((await pool.admin('set', '--MeetingUxEnableTelemetry', 'true')).code).toBe(0);
  const stays = await people.join(pool.url(ALICE), 'Stays');
  await expect(stays.getByTestId('in-meeting')).toBeVisible();
  const closes = await people.join(pool.url(ALICE), 'Closes Tab');
  await expect(closes.getByTestId('in-meeting')).toBeVisible();
  await expect.poll(() => rosterNames(stays)).toEqual(['Stays', 'Closes Tab']);
  // Some time in the meeting, measured by the page's own clock.
  await closes.waitForFunction(() => performance.now() > 1500);
  await closes.close({ runBeforeUnload: true });
  await expect.poll(() => rosterNames(stays)).toEqual(['Stays']);
  await expect
    .poll(async () => (await pool.reportFor('pool01.contoso.com')).meetingMinutes, REPORT_POLL)
    .toBeGreaterThan(0);
  // Nothing failed, so each event went over the wire once: the closing page's keepalive request is
  // not followed by a beacon copy of the same batch.
  const sentIds = pool.received
    .filter(isTelemetryHit)
    .flatMap((r) => (JSON.parse(r.body ?? '{}') as { events: { id: string }[] }).events.map((e) => e.id));
  expect(sentIds.length).toBeGreaterThan(0);
  expect(sentIds.length).toBe(new Set(sentIds).size);
});
