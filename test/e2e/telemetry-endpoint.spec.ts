/**
 * A TelemetryEndpoint on another host (HTTPS, cross-origin): the page's batches go there, the last
 * one as the tab closes included, are filed under the page's pool, and none go to the page's own
 * origin.
 */
import { CHROMIUM_ARGS, findChromium } from './browser';
import { expect, isTelemetryRequest, joinAsGuest, openMeeting, test } from './fixtures';
import { setTelemetry, storedEvents } from './telemetry-helpers';

// The test-only certificate is self-signed. Chromium is told so for the whole browser, not only per
// page (ignoreHTTPSErrors), because a request that outlives its page is the browser's own.
test.use({
  launchOptions: { executablePath: findChromium(), args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'] },
});

test('batches reach a TelemetryEndpoint on another origin, up to the tab closing, and count for the page’s pool', async ({
  page,
  pool,
  requests,
}) => {
  const tlsPort = await pool.listenHttps();
  const endpoint = `https://telemetry.contoso.test:${tlsPort}/telemetry/v1/batch`;
  const set = await pool.admin('set', '--TelemetryEndpoint', endpoint);
  expect(set.code, set.stderr).toBe(0);
  await setTelemetry(pool, true);

  await openMeeting(page, pool.url('/alice/7Q3DSSYV?sl=1'));
  await joinAsGuest(page, 'Cross Origin');
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  await page.close({ runBeforeUnload: true });

  await expect
    .poll(() => storedEvents(pool).map((e) => e.metric ?? e.type), { timeout: 30_000 })
    .toEqual(expect.arrayContaining(['census', 'joinAttempt', 'joinSuccess', 'meetingMinutes']));
  const report = await pool.reportFor('pool01.contoso.com');
  expect({ attempts: report.joinAttempts, successes: report.joinSuccesses }).toEqual({ attempts: 1, successes: 1 });
  expect(new Set(storedEvents(pool).map((e) => e.pool))).toEqual(new Set(['pool01.contoso.com']));

  // Batches are CORS-simple requests (JSON labelled text/plain): no preflight, every one taken.
  const atEndpoint = pool.received.filter((r) => r.host === 'telemetry.contoso.test');
  expect(atEndpoint.map((r) => r.method)).not.toContain('OPTIONS');
  expect(atEndpoint.length).toBeGreaterThan(0);
  expect(atEndpoint.every((r) => r.method === 'POST' && r.status === 200)).toBe(true);
  // None went to the page's own origin (the browser's log can miss requests that outlive the page,
  // so the server's log is the proof that the endpoint got them).
  const pageOrigin = new URL(pool.url('/')).origin;
  expect(requests.filter((r) => isTelemetryRequest(r) && new URL(r.url).origin === pageOrigin)).toEqual([]);
  expect(pool.received.filter((r) => r.url.startsWith('/telemetry/') && r.host !== 'telemetry.contoso.test')).toEqual(
    [],
  );
});
