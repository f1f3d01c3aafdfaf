/**
 * Flag off means not one telemetry byte: across every flow, and right after it was on (queued and
 * persisted events are purged, the DeviceID forgotten, nothing more is sent).
 */
import {
  expect,
  isTelemetryChunk,
  isTelemetryHit,
  isTelemetryRequest,
  joinAsGuest,
  openMeeting,
  storageSnapshot,
  test,
} from './fixtures';
import {
  persistedCount,
  raiseErrors,
  rereadConfig,
  setTelemetry,
  storedEvents,
  telemetryStorage,
} from './telemetry-helpers';

/** The shell remembers the name the person typed (not telemetry); nothing else may be stored. */
function expectNothingStoredButTheName(storage: Awaited<ReturnType<typeof storageSnapshot>>): void {
  const localStorage = storage.localStorage.filter((key) => key !== 'meet-launcher.displayName');
  expect({ ...storage, localStorage }).toEqual({ localStorage: [], sessionStorage: [], indexedDB: [], cookies: [] });
}

test('flag off across launcher, reload, errors, failed join, lobby, offline and hiding: nothing at all', async ({
  page,
  context,
  pool,
  requests,
}) => {
  // Launcher, then reload.
  await openMeeting(page, pool.url('/alice/7Q3DSSYV?sl=1'));
  await page.reload();
  await expect(page.getByTestId('launcher')).toBeVisible();
  await raiseErrors(page, 'off');
  // A failed join (the conference service is down for one request), then a good one, then leave.
  await page.route('**/participants', (route) => route.fulfill({ status: 503, body: '{}' }), { times: 1 });
  await joinAsGuest(page);
  await expect(page.getByTestId('join-submit')).toBeEnabled();
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  // The page re-reads the config when it becomes visible again; still off.
  await rereadConfig(page);
  // A meeting that does not exist.
  await openMeeting(page, pool.url('/nobody/NOSUCH99'));
  await expect(page.getByTestId('error')).toBeVisible();
  // A lobby meeting: wait in the lobby, leave.
  await openMeeting(page, pool.url('/kenmyer/071200?sl=1'));
  await joinAsGuest(page);
  await expect(page.getByTestId('lobby')).toBeVisible();
  await page.getByTestId('lobby-cancel').click();
  // Offline and back.
  await context.setOffline(true);
  await raiseErrors(page, 'offline');
  await context.setOffline(false);
  await page.reload();
  await expect(page.getByTestId('launcher')).toBeVisible();
  const storage = await storageSnapshot(page);
  await page.close({ runBeforeUnload: true });

  expect(requests.length).toBeGreaterThan(10);
  expect(requests.filter(isTelemetryRequest)).toEqual([]);
  expect(requests.filter(isTelemetryChunk)).toEqual([]);
  expect(requests.filter((r) => /web-vitals/i.test(r.url))).toEqual([]);
  expect(pool.received.filter(isTelemetryHit)).toEqual([]);
  expectNothingStoredButTheName(storage);
  for (const entry of await pool.report())
    expect(entry).toMatchObject({ joinAttempts: 0, errorReports: 0, devices: 0 });
});

test('on, events queued while the service is down, then off: purged, forgotten, never sent', async ({
  page,
  context,
  pool,
  requests,
}) => {
  await setTelemetry(pool, true);
  await context.route('**/telemetry/**', (route) => route.fulfill({ status: 503, body: '{}' }));
  await openMeeting(page, pool.url('/alice/7Q3DSSYV?sl=1'));
  await joinAsGuest(page);
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await raiseErrors(page, 'queued');
  // The page tried (and the service was down), and the events wait on the device.
  await expect.poll(() => requests.filter(isTelemetryRequest).length).toBeGreaterThan(0);
  await expect.poll(() => persistedCount(page)).toBeGreaterThan(2);
  expect((await telemetryStorage(page)).deviceId).not.toBeNull();

  await setTelemetry(pool, false);
  await rereadConfig(page);
  await expect.poll(() => telemetryStorage(page)).toEqual({ deviceId: null, databases: [] });
  const triedBeforeOff = requests.filter(isTelemetryRequest).length;

  // The service is back: still nothing may go out, not on leave, reload or close.
  await context.unroute('**/telemetry/**');
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('launcher')).toBeVisible();
  const storage = await storageSnapshot(page);
  await page.close({ runBeforeUnload: true });

  expect(requests.filter(isTelemetryRequest)).toHaveLength(triedBeforeOff);
  expect(pool.received.filter(isTelemetryHit)).toEqual([]);
  expectNothingStoredButTheName(storage);
  expect(await pool.reportFor('pool01.contoso.com')).toMatchObject({ joinAttempts: 0, errorReports: 0, devices: 0 });
});

test('a page that loads with the flag off wipes what an earlier telemetry-on visit left behind', async ({
  context,
  pool,
}) => {
  await setTelemetry(pool, true);
  // The service never answers this device: its events stay queued on the device.
  await context.route('**/telemetry/**', (route) => route.abort('failed'));
  const first = await context.newPage();
  await openMeeting(first, pool.url('/alice/7Q3DSSYV?sl=1'));
  await raiseErrors(first, 'left-behind');
  await expect.poll(() => persistedCount(first)).toBeGreaterThan(1);

  await setTelemetry(pool, false);
  const second = await context.newPage();
  const secondRequests: string[] = [];
  second.on('request', (r) => secondRequests.push(new URL(r.url()).pathname));
  await openMeeting(second, pool.url('/alice/7Q3DSSYV?sl=1'));
  await expect.poll(() => telemetryStorage(second)).toEqual({ deviceId: null, databases: [] });
  await second.close({ runBeforeUnload: true });

  expect(secondRequests.filter((p) => p.startsWith('/telemetry/') || /\/assets\/client-/.test(p))).toEqual([]);
  expect(pool.received.filter(isTelemetryHit)).toEqual([]);
  await first.close();
});

test('the ingest answering 403 (flag turned off, page not yet re-read) stops the page and purges', async ({
  page,
  pool,
  requests,
}) => {
  await setTelemetry(pool, true);
  await openMeeting(page, pool.url('/alice/7Q3DSSYV?sl=1'));
  await expect.poll(async () => (await telemetryStorage(page)).deviceId).not.toBeNull();
  await setTelemetry(pool, false);
  const refused = page.waitForResponse(
    (r) => new URL(r.url()).pathname.startsWith('/telemetry/') && r.status() === 403,
  );
  await raiseErrors(page, 'after-off');
  await refused;
  await expect.poll(() => telemetryStorage(page)).toEqual({ deviceId: null, databases: [] });
  const tried = requests.filter(isTelemetryRequest).length;
  await raiseErrors(page, 'still-off');
  await page.reload();
  await expect(page.getByTestId('launcher')).toBeVisible();
  await page.close({ runBeforeUnload: true });
  expect(requests.filter(isTelemetryRequest)).toHaveLength(tried);
  expect(JSON.stringify(storedEvents(pool))).not.toMatch(/after-off|still-off/);
});

test('the /dialin page applies the flag too: off wipes what a telemetry-on visit left behind', async ({
  context,
  pool,
}) => {
  await setTelemetry(pool, true);
  await context.route('**/telemetry/**', (route) => route.abort('failed'));
  const first = await context.newPage();
  await openMeeting(first, pool.url('/alice/7Q3DSSYV?sl=1'));
  await raiseErrors(first, 'left-behind');
  await expect.poll(() => persistedCount(first)).toBeGreaterThan(1);

  await setTelemetry(pool, false);
  const dialIn = await context.newPage();
  await dialIn.goto(pool.url('/dialin'));
  await expect(dialIn.getByTestId('dialin')).toBeVisible();
  await expect.poll(() => telemetryStorage(dialIn)).toEqual({ deviceId: null, databases: [] });
  expect(pool.received.filter(isTelemetryHit)).toEqual([]);
  await first.close();
});
