/**
 * The app shell from the service worker: repeat visits paint with no network for the page, an
 * offline visit shows the app's own offline screen, and the config, API and telemetry are never
 * served from a cache.
 */
import { expect, isTelemetryChunk, openMeeting, telemetryChunkPaths, test } from './fixtures';
import { cachedUrls, waitForWorkerControl } from './sw-helpers';

const MEETING = '/alice/7Q3DSSYV';

test('a repeat visit is answered by the worker: no page or asset request reaches the server', async ({
  page,
  pool,
}) => {
  await openMeeting(page, pool.url(MEETING));
  await waitForWorkerControl(page);
  const before = pool.received.length;
  const response = await page.reload();
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
  expect(response?.fromServiceWorker()).toBe(true);
  const served = pool.received.slice(before).map((r) => `${r.method} ${r.url}`);
  expect(served.filter((r) => r.startsWith('GET /alice') || r.includes('/assets/'))).toEqual([]);
  // The config and the meeting still come from the network on every load.
  expect(served).toContain('GET /config/webservice.json');
  expect(served).toContain(`GET /api/v1/meetings${MEETING}`);
});

test('offline, a second visit renders the launcher from the worker with a clear offline screen', async ({
  page,
  pool,
  context,
}) => {
  await openMeeting(page, pool.url(MEETING));
  await waitForWorkerControl(page);
  await context.setOffline(true);
  const response = await page.goto(pool.url(MEETING));
  expect(response?.fromServiceWorker()).toBe(true);
  const error = page.getByTestId('error');
  await expect(error).toHaveAttribute('data-error-code', 'offline');
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('button', { name: /try again|retry/i })).toBeVisible();
  // Back online, the page retries by itself and shows the meeting without reloading, following the
  // pool's own config, read again: this pool does not try the app (the fixture's launch guard would
  // also fail the flow on a `conf:` launch).
  await context.setOffline(false);
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
  await expect(page.getByTestId('launcher')).toHaveAttribute('data-desktop-state', 'idle');
});

test('offline, other paths are answered with the page too, which explains them', async ({ page, pool, context }) => {
  await openMeeting(page, pool.url(MEETING));
  await waitForWorkerControl(page);
  await context.setOffline(true);
  for (const link of ['/not-a-link', '/alice/7Q3D%00SSYV', '/a/b/c/d']) {
    const response = await page.goto(pool.url(link));
    expect(response?.fromServiceWorker(), link).toBe(true);
    expect(response?.status(), link).toBe(404);
    await expect(page.getByTestId('error')).toHaveAttribute('data-error-code', 'invalid-link');
  }
});

test('the config, API and telemetry are never cached nor answered from a cache', async ({
  page,
  pool,
  context,
  requests,
}) => {
  await openMeeting(page, pool.url(MEETING));
  await waitForWorkerControl(page);
  await page.reload();
  await expect(page.getByTestId('launcher')).toBeVisible();
  const cached = await cachedUrls(page);
  expect(cached).toContain('/index.html');
  expect(cached.filter((url) => /^\/(config|api|telemetry)\//.test(url))).toEqual([]);
  // The telemetry chunk is not precached: it must never reach a device while the flag is off.
  expect(cached.filter((url) => telemetryChunkPaths().has(url))).toEqual([]);
  expect(requests.filter(isTelemetryChunk)).toEqual([]);
  await context.setOffline(true);
  const outcomes = await page.evaluate(async () => {
    const paths = ['/config/webservice.json', '/api/v1/meetings/alice/7Q3DSSYV', '/telemetry/v1/batch'];
    return Promise.all(
      paths.map((p) =>
        fetch(p).then(
          (r) => `${p}: ${r.status}`,
          () => `${p}: network error`,
        ),
      ),
    );
  });
  expect(outcomes).toEqual([
    '/config/webservice.json: network error',
    '/api/v1/meetings/alice/7Q3DSSYV: network error',
    '/telemetry/v1/batch: network error',
  ]);
});

test('on an insecure origin there is no worker and the page still works', async ({ page, pool }) => {
  const url = pool.url(MEETING, 'meet.contoso.test');
  await openMeeting(page, url);
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
  expect(await page.evaluate(() => [window.isSecureContext, 'serviceWorker' in navigator])).toEqual([false, false]);
  await page.reload();
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
  expect(pool.received.filter((r) => r.url === '/sw.js')).toEqual([]);
});
