/** An admin's flag change is seen on the very next load, with the service worker active. */
import { expect, isTelemetryChunk, isTelemetryRequest, openMeeting, test } from './fixtures';
import { waitForWorkerControl } from './sw-helpers';

const MEETING = '/alice/7Q3DSSYV';

test('flag flipped with the worker active takes effect on the next load, both ways', async ({
  page,
  pool,
  requests,
}) => {
  await openMeeting(page, pool.url(MEETING));
  await waitForWorkerControl(page);
  await page.reload();
  await expect(page.getByTestId('launcher')).toBeVisible();
  expect(requests.filter(isTelemetryChunk)).toEqual([]);

  const on = await pool.admin('set', '--MeetingUxEnableTelemetry', 'true');
  expect(on.code, on.stderr).toBe(0);
  const configAnswer = page.waitForResponse((r) => r.url().endsWith('/config/webservice.json'));
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true); // the page itself came from the worker...
  const config = await configAnswer;
  expect(config.fromServiceWorker()).toBe(false); // ...the config from the network, fresh
  expect(await config.json()).toMatchObject({ MeetingUxEnableTelemetry: true });
  await expect(page.getByTestId('launcher')).toBeVisible();
  await expect.poll(() => requests.filter(isTelemetryChunk).length, { message: 'telemetry client loaded' }).toBe(1);

  const off = await pool.admin('set', '--MeetingUxEnableTelemetry', 'false');
  expect(off.code, off.stderr).toBe(0);
  const offConfig = page.waitForResponse((r) => r.url().endsWith('/config/webservice.json'));
  const mark = requests.length;
  await page.reload();
  expect(await (await offConfig).json()).toMatchObject({ MeetingUxEnableTelemetry: false });
  await expect(page.getByTestId('launcher')).toBeVisible();
  await page.getByTestId('join-web').click();
  await expect(page.getByTestId('display-name')).toBeVisible();
  const after = requests.slice(mark);
  expect(after.filter(isTelemetryChunk)).toEqual([]);
  expect(after.filter(isTelemetryRequest)).toEqual([]);
});
