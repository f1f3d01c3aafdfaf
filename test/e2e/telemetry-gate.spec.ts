/** The pool's flag is the single switch: off sends nothing at all, on lands counts in `report`. */
import { CONFIG_TIMEOUT_MS } from '../../src/client/config/effective-config';
import { DISPLAY_NAME_KEY } from '../../src/client/meeting/remembered-name';
import { withoutFirstScreenData } from './boot-helpers';
import {
  expect,
  isTelemetryChunk,
  isTelemetryHit,
  isTelemetryRequest,
  joinAsGuest,
  openMeeting,
  REPORT_POLL,
  storageSnapshot,
  test,
} from './fixtures';

const GUEST_NAME = 'Zoë Privacy-Check';

test('flag off (fresh start): the whole join-and-leave flow sends no telemetry and stores nothing', async ({
  page,
  pool,
  requests,
}) => {
  await openMeeting(page, pool.url('/alice/7Q3DSSYV'));
  await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
  await joinAsGuest(page, GUEST_NAME);
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  // Hide and unload the page the way a person closing the tab would.
  const storage = await storageSnapshot(page);
  await page.close({ runBeforeUnload: true });

  expect(requests.length, 'the page made requests').toBeGreaterThan(3);
  expect(requests.filter(isTelemetryRequest)).toEqual([]);
  expect(requests.filter(isTelemetryChunk)).toEqual([]);
  expect(pool.received.filter(isTelemetryHit)).toEqual([]);
  // The only key is the person's own remembered display name (issue 4), never telemetry.
  expect(storage).toEqual({ localStorage: [DISPLAY_NAME_KEY], sessionStorage: [], indexedDB: [], cookies: [] });
  for (const entry of await pool.report()) {
    expect(entry).toMatchObject({ joinAttempts: 0, joinSuccesses: 0, errorReports: 0, devices: 0 });
  }
});

test('flag set on with the CLI while the server runs: join attempt and success land in the report', async ({
  page,
  pool,
  requests,
}) => {
  const set = await pool.admin('Set-CsWebServiceConfiguration', '-MeetingUxEnableTelemetry', '$True');
  expect(set.code, set.stderr).toBe(0);

  await openMeeting(page, pool.url('/alice/7Q3DSSYV'));
  await joinAsGuest(page, GUEST_NAME);
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  await page.close({ runBeforeUnload: true });

  await expect
    .poll(async () => {
      const r = await pool.reportFor('pool01.contoso.com');
      return { attempts: r.joinAttempts >= 1, successes: r.joinSuccesses >= 1, devices: r.devices };
    }, REPORT_POLL)
    .toEqual({ attempts: true, successes: true, devices: 1 });
  const bodies = pool.received.filter(isTelemetryHit).map((r) => r.body);
  expect(bodies.length).toBeGreaterThan(0);
  for (const body of [...bodies, ...requests.filter(isTelemetryRequest).map((r) => r.body ?? '')]) {
    expect(body).not.toContain(GUEST_NAME);
    expect(body).not.toContain('7Q3DSSYV');
  }
  expect(await pool.reportFor('pool02.fabrikam.com')).toMatchObject({ joinAttempts: 0, devices: 0 });
});

test('a service document turns telemetry on for pool02 only; pool01 stays silent', async ({
  browser,
  pool,
  launchGuard,
  externalLaunches,
}) => {
  const created = await pool.admin(
    'new',
    '--Identity',
    'Service:WebServer:pool02.fabrikam.com',
    '--MeetingUxEnableTelemetry',
    'true',
  );
  expect(created.code, created.stderr).toBe(0);

  for (const [host, path] of [
    ['meet.fabrikam.test', '/carol/FAB12345'],
    ['127.0.0.1', '/alice/7Q3DSSYV'],
  ] as const) {
    const context = await browser.newContext();
    await launchGuard.watch(context);
    const page = await context.newPage();
    await openMeeting(page, pool.url(path, host));
    await joinAsGuest(page);
    await expect(page.getByTestId('in-meeting')).toBeVisible();
    await page.getByTestId('leave').click();
    await page.close({ runBeforeUnload: true });
    await context.close();
  }
  await expect
    .poll(async () => (await pool.reportFor('pool02.fabrikam.com')).joinSuccesses, REPORT_POLL)
    .toBeGreaterThanOrEqual(1);
  expect(await pool.reportFor('pool01.contoso.com')).toMatchObject({ joinAttempts: 0, joinSuccesses: 0, devices: 0 });
  const telemetryHosts = new Set(pool.received.filter(isTelemetryHit).map((r) => r.host));
  expect([...telemetryHosts]).toEqual(['meet.fabrikam.test']);
  // pool02's new document starts from product defaults, so its page tried the app (stubbed).
  expect(externalLaunches).toEqual(['conf:sip:carol@fabrikam.com;gruu;opaque=app:conf:focus:id:FAB12345']);
});

const BROKEN_CONFIGS: [string, { status?: number; body?: string } | 'never'][] = [
  ['the string "true"', { body: '{"MeetingUxEnableTelemetry":"true"}' }],
  ['the number 1', { body: '{"MeetingUxEnableTelemetry":1}' }],
  ['malformed JSON', { body: '{"MeetingUxEnableTelemetry":true' }],
  ['a 500 error', { status: 500, body: '{"MeetingUxEnableTelemetry":true}' }],
  ['no answer at all', 'never'],
];

for (const [name, answer] of BROKEN_CONFIGS) {
  test(`a config answering ${name} keeps telemetry off and the launcher working`, async ({
    page,
    pool,
    requests,
    externalLaunches,
  }) => {
    // The store says on: only the page's own fail-closed reading keeps telemetry off.
    expect((await pool.admin('set', '--MeetingUxEnableTelemetry', 'true')).code).toBe(0);
    // A page without the config in it (as from the service worker) must read it over the network.
    await withoutFirstScreenData(page);
    await page.route('**/config/webservice.json', async (route) => {
      if (answer === 'never') return; // left hanging: the page must time out on its own
      await route.fulfill({ status: answer.status ?? 200, contentType: 'application/json', body: answer.body });
    });
    await openMeeting(page, pool.url('/alice/7Q3DSSYV'));
    await expect(page.getByTestId('meeting-subject')).toHaveText('Quarterly planning');
    if (answer === 'never') {
      // The launcher shows the meeting only once the config is settled: here, when the page's own
      // timeout gave up on it.
      expect(await page.evaluate(() => performance.now())).toBeGreaterThanOrEqual(CONFIG_TIMEOUT_MS);
    }
    // Unread, the config falls back to product defaults: the app is tried (the suite stubs it).
    await expect.poll(() => externalLaunches.length).toBe(1);
    await joinAsGuest(page);
    await expect(page.getByTestId('in-meeting')).toBeVisible();
    await page.getByTestId('leave').click();
    await page.close({ runBeforeUnload: true });
    expect(requests.filter(isTelemetryRequest)).toEqual([]);
    expect(requests.filter(isTelemetryChunk)).toEqual([]);
    expect(pool.received.filter(isTelemetryHit)).toEqual([]);
  });
}
