/**
 * The fault run: the service drops a third of the requests (some after storing them, so the page
 * retries what was already stored), answers 429 with Retry-After and 503, the page goes offline
 * and is reloaded while offline; in the end every event the page recorded is stored exactly once.
 */
import type { Route } from '@playwright/test';
import { expect, isTelemetryRequest, joinAsGuest, openMeeting, test } from './fixtures';
import { parsed, persistedCount, raiseErrors, sentBatches, setTelemetry, storedEvents } from './telemetry-helpers';

test('faults, 429s, offline and reloads: every event stored exactly once', async ({
  page,
  context,
  pool,
  requests,
}) => {
  await setTelemetry(pool, true);
  let n = 0;
  const faults: string[] = [];
  await context.route('**/telemetry/**', async (route: Route) => {
    const kind = ['stored-but-lost', 'too-many', 'pass', 'dropped', 'down', 'pass'][n++ % 6] as string;
    faults.push(kind);
    if (kind === 'stored-but-lost') {
      await route.fetch(); // the service stores the batch, then the answer is lost
      return route.abort('connectionreset');
    }
    if (kind === 'dropped') return route.abort('failed');
    if (kind === 'too-many') return route.fulfill({ status: 429, headers: { 'retry-after': '1' }, body: '{}' });
    if (kind === 'down') return route.fulfill({ status: 503, body: '{}' });
    return route.continue();
  });

  await openMeeting(page, pool.url('/alice/7Q3DSSYV?sl=1'));
  await joinAsGuest(page);
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await raiseErrors(page, 'online-1');
  // Each error brings a flush within seconds; go through the whole cycle of faults once.
  await expect.poll(() => faults.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
  await raiseErrors(page, 'online-1b');
  await expect.poll(() => faults.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(6);

  // Offline: events are recorded and persisted, nothing can go out; then a reload fails offline.
  await context.setOffline(true);
  await raiseErrors(page, 'offline-2');
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  await expect.poll(() => persistedCount(page)).toBeGreaterThan(0);
  await page.goto(pool.url('/alice/7Q3DSSYV?sl=1')).catch(() => {}); // the browser's offline page
  await context.setOffline(false);

  // Back online: the next visit adopts what the last one left and delivers it through the faults.
  await openMeeting(page, pool.url('/alice/7Q3DSSYV?sl=1'));
  await raiseErrors(page, 'online-3');
  await page.reload();
  await expect(page.getByTestId('launcher')).toBeVisible();
  await expect
    .poll(
      async () => {
        const stored = new Set(storedEvents(pool).map((e) => e.id));
        const sent = sentBatches(requests).flatMap((b) => b.events.map((e) => e.id));
        const missing = sent.filter((id) => !stored.has(id)).length;
        return { missing, persisted: await persistedCount(page) };
      },
      { timeout: 60_000, intervals: [500, 1000, 2000] },
    )
    .toEqual({ missing: 0, persisted: 0 });

  const rows = storedEvents(pool);
  const sentIds = sentBatches(requests).flatMap((b) => b.events.map((e) => e.id));
  // Retries really happened, and each event is one row.
  expect(sentIds.length).toBeGreaterThan(new Set(sentIds).size);
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  expect(faults).toEqual(expect.arrayContaining(['stored-but-lost', 'too-many', 'dropped', 'down']));

  // Every error raised (online, offline, after the reloads) is there once, none twice.
  // (Going offline also drops the meeting's event stream, which the shell reports as its own error.)
  const errorRows = rows.filter((r) => r.type === 'error');
  const raised = errorRows.filter((r) => !String(parsed(r).code).startsWith('stream:'));
  const messages = raised.map((r) => String(parsed(r).message)).sort();
  expect(messages).toEqual(
    ['online-1', 'online-1b', 'offline-2', 'online-3']
      .flatMap((tag) => [`Error: boom ${tag} at <url>`, `TypeError: rejected ${tag}`])
      .sort(),
  );
  const report = await pool.reportFor('pool01.contoso.com');
  expect(report).toMatchObject({ joinAttempts: 1, joinSuccesses: 1, errorReports: errorRows.length, devices: 1 });
  expect(report.meetingMinutes).toBeGreaterThan(0);
  expect(requests.filter(isTelemetryRequest).length).toBeGreaterThan(3);
});
