/**
 * Hostile pool configs (wrong types, huge, not JSON, prototype tricks, error statuses): the page
 * keeps working and telemetry stays off: no telemetry code, request or storage write. The last
 * case (exactly `true`) proves the same harness does see telemetry when it is really on.
 */
import { jsonValue, seeded } from '../support/fuzz-gen';
import { withoutFirstScreenData } from './boot-helpers';
import { expect, isTelemetryChunk, isTelemetryRequest, storageSnapshot, test } from './fixtures';
import { ALICE_URI } from './launcher-helpers';
import { watchForAlarms } from './security-helpers';

interface ConfigCase {
  name: string;
  status?: number;
  contentType?: string;
  body: string;
}

const HUGE = JSON.stringify({ MeetingUxEnableTelemetry: false, padding: 'x'.repeat(4_000_000) });

function configCases(): ConfigCase[] {
  const flagValues: unknown[] = ['true', 'TRUE', 1, [true], { value: true }, null, 'yes', 0, -1, '1', ' true'];
  const cases: ConfigCase[] = flagValues.map((value) => ({
    name: `flag ${JSON.stringify(value)}`,
    body: JSON.stringify({ MeetingUxEnableTelemetry: value }),
  }));
  cases.push(
    { name: 'not JSON', body: 'MeetingUxEnableTelemetry=true' },
    { name: 'HTML', contentType: 'text/html', body: '<script>alert(1)</script>{"MeetingUxEnableTelemetry":true}' },
    { name: 'empty', body: '' },
    { name: 'truncated', body: '{"MeetingUxEnableTelemetry":tru' },
    { name: 'array', body: '[{"MeetingUxEnableTelemetry":true}]' },
    { name: 'string', body: '"true"' },
    { name: 'bare true', body: 'true' },
    { name: 'null', body: 'null' },
    { name: 'proto', body: '{"__proto__":{"MeetingUxEnableTelemetry":true}}' },
    { name: 'constructor', body: '{"constructor":{"prototype":{"MeetingUxEnableTelemetry":true}}}' },
    { name: 'case', body: '{"meetinguxenabletelemetry":true,"MEETINGUXENABLETELEMETRY":true}' },
    { name: 'duplicate key', body: '{"MeetingUxEnableTelemetry":true,"MeetingUxEnableTelemetry":"true"}' },
    { name: 'huge', body: HUGE },
    { name: 'deep', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
    { name: 'status 500 with flag', status: 500, body: '{"MeetingUxEnableTelemetry":true}' },
    { name: 'status 404 with flag', status: 404, body: '{"MeetingUxEnableTelemetry":true}' },
    {
      name: 'bad endpoint',
      body: JSON.stringify({ TelemetryEndpoint: 'javascript:alert(1)', DownloadUrl: 'javascript:alert(1)' }),
    },
    {
      name: 'wrong types everywhere',
      body: JSON.stringify({ AutoLaunchDesktopClient: 'yes', DefaultLanguage: 42, HstsMaxAgeInSeconds: 'x' }),
    },
  );
  const random = seeded(404);
  for (let i = 0; i < 30; i++) {
    cases.push({
      name: `random ${i}`,
      body: JSON.stringify({ MeetingUxEnableTelemetry: jsonValue(random), x: jsonValue(random) }),
    });
  }
  return cases;
}

test('hostile configs: the page works and telemetry stays off', async ({
  page,
  pool,
  context,
  requests,
  externalLaunches,
}) => {
  test.setTimeout(600_000);
  const alarms = await watchForAlarms(context);
  let current: ConfigCase = { name: 'none', body: '{}' };
  // The page's own reading of a hostile answer is what is fuzzed: no config in the page itself.
  await withoutFirstScreenData(context);
  await context.route('**/config/webservice.json', (route) =>
    route.fulfill({
      status: current.status ?? 200,
      contentType: current.contentType ?? 'application/json',
      body: current.body,
    }),
  );
  const cases = configCases();
  expect(cases.length).toBeGreaterThan(50);
  for (const config of cases) {
    current = config;
    const served = page.waitForResponse((r) => r.url().endsWith('/config/webservice.json'));
    await page.goto(pool.url('/alice/7Q3DSSYV'));
    await served;
    await expect(page.getByTestId('meeting-subject'), config.name).toHaveText('Quarterly planning');
    const link = page.getByTestId('download-app');
    await expect(link, config.name).toHaveAttribute('href', /^https:\/\//);
  }
  // Telemetry never started: no code, no request, nothing stored.
  expect(requests.filter(isTelemetryChunk)).toEqual([]);
  expect(requests.filter(isTelemetryRequest)).toEqual([]);
  expect(pool.received.filter((r) => r.url.startsWith('/telemetry/'))).toEqual([]);
  expect(await storageSnapshot(page)).toEqual({ localStorage: [], sessionStorage: [], indexedDB: [], cookies: [] });
  expect(alarms.dialogs).toEqual([]);
  expect(alarms.violations).toEqual([]);
  // A config the page cannot use falls back to product defaults, which try the app: always the
  // meeting's own conference URI with the default scheme, whatever the config said.
  expect(externalLaunches.length).toBeGreaterThan(0);
  expect(new Set(externalLaunches)).toEqual(new Set([`conf:${ALICE_URI}`]));

  // The harness sees telemetry when it is really on.
  current = { name: 'exactly true', body: '{"MeetingUxEnableTelemetry":true}' };
  await page.goto(pool.url('/alice/7Q3DSSYV'));
  await expect(page.getByTestId('launcher')).toBeVisible();
  await expect.poll(() => requests.filter(isTelemetryChunk).length).toBe(1);
});
