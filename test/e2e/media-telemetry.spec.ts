/** Call telemetry: nothing at all with the flag off; with it on, calls, quality and devices in `report`. */
import { isTelemetryHit, openMeeting, REPORT_POLL } from './fixtures';
import { expectVideoFlowing, selfId } from './media-helpers';
import { ALICE, expect, test } from './shell-helpers';
import { setTelemetry, storedEvents } from './telemetry-helpers';

test('flag off: a call sends no telemetry, loads no telemetry code and stores nothing', async ({ pool, people }) => {
  const ann = await people.join(pool.url(`${ALICE}?sl=1`), 'Ann Lee');
  const ben = await people.join(pool.url(`${ALICE}?sl=1`), 'Ben Ode');
  const chunks: string[] = [];
  for (const page of [ann, ben]) page.on('request', (r) => chunks.push(new URL(r.url()).pathname));
  await expectVideoFlowing(ann, await selfId(ben));
  await ben.getByTestId('mute').click();
  await ben.getByTestId('camera').click();
  await ben.getByTestId('leave').click();
  await expect(ben.getByTestId('meeting-ended')).toBeVisible();
  await ann.close({ runBeforeUnload: true });
  await expect.poll(() => pool.received.some((r) => r.method === 'DELETE')).toBe(true);
  expect(pool.received.filter(isTelemetryHit)).toEqual([]);
  expect(chunks.filter((p) => /\/assets\/client-[\w-]+\.js$/.test(p))).toEqual([]);
  expect(await ben.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);
  expect(await ben.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('telemetry')))).toEqual([]);
  expect(storedEvents(pool)).toEqual([]);
});

test('flag on: calls made, call minutes, network quality and device figures reach the report', async ({
  pool,
  people,
}) => {
  await setTelemetry(pool, true);
  // As people do: each sees their camera in the device check before joining, so both calls start
  // with microphone and camera open (the device figures below say so).
  const joinWithDevicesOpen = async (name: string) => {
    const page = await people.newPage();
    await openMeeting(page, pool.url(`${ALICE}?sl=1`));
    await page.getByTestId('join-web').click();
    await expect(page.getByTestId('device-preview')).toHaveAttribute('data-camera', 'on');
    await page.getByTestId('display-name').fill(name);
    await page.getByTestId('join-submit').click();
    return page;
  };
  const ann = await joinWithDevicesOpen('Ann Lee');
  const ben = await joinWithDevicesOpen('Ben Ode');
  await expectVideoFlowing(ann, await selfId(ben));
  await expectVideoFlowing(ben, await selfId(ann));
  await ben.getByTestId('leave').click();
  await expect(ben.getByTestId('meeting-ended')).toBeVisible();
  await ann.close({ runBeforeUnload: true });
  await expect
    .poll(async () => (await pool.reportFor('pool01.contoso.com')).calls, REPORT_POLL)
    .toMatchObject({ callsMade: 2, deviceReports: 2, micOnShare: 1, cameraOnShare: 1 });
  const { calls } = await pool.reportFor('pool01.contoso.com');
  expect(calls.qualityReports).toBeGreaterThanOrEqual(1);
  expect(calls.callMinutes).toBeGreaterThan(0);
  expect(calls.averageDevices.cameras).toBeGreaterThanOrEqual(1);
  expect(calls.averageDevices.microphones).toBeGreaterThanOrEqual(1);
  expect(calls.packetLossPct.median).not.toBeNull();
  expect(calls.jitterMs.median).not.toBeNull();
  const text = (await pool.admin('report')).stdout;
  expect(text).toContain('calls:            2 made');
  expect(text).toMatch(/call quality: {5}[1-9]\d* calls; RTT/);
  // Never a device label or id in what was stored.
  const stored = JSON.stringify(storedEvents(pool));
  expect(stored).not.toMatch(/fake|label|default/i);
});
