/** Flag on: every field present and right, UserIDs never in clear, DeviceID stable, delivery on hide. */
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, isTelemetryChunk, openMeeting, test } from './fixtures';
import {
  parsed,
  raiseErrors,
  receivedBatches,
  sentBatches,
  setTelemetry,
  storedEvents,
  telemetryStorage,
} from './telemetry-helpers';

const GUEST = 'Zoë Field-Check';

test('census, usage, errors and web-vitals arrive with every field right and no clear UserID', async ({
  page,
  pool,
  requests,
}) => {
  await setTelemetry(pool, true);
  await openMeeting(page, pool.url('/alice/7Q3DSSYV?sl=1'));
  const joined = page.waitForResponse((r) => r.url().endsWith('/participants') && r.request().method() === 'POST');
  // As a person would: the device check shows the camera before they join, so the call starts with
  // the microphone and camera open (the deviceConfig below says so).
  await page.getByTestId('join-web').click();
  await expect(page.getByTestId('device-preview')).toHaveAttribute('data-camera', 'on');
  await page.getByTestId('display-name').fill(GUEST);
  await page.getByTestId('join-submit').click();
  const { participantId } = (await (await joined).json()) as { participantId: string };
  await expect(page.getByTestId('in-meeting')).toBeVisible();
  await raiseErrors(page, 'one');
  const facts = await page.evaluate(async () => {
    const uaData = (
      navigator as Navigator & {
        userAgentData?: { getHighEntropyValues(h: string[]): Promise<Record<string, string>> };
      }
    ).userAgentData;
    const hints = uaData ? await uaData.getHighEntropyValues(['platformVersion']) : {};
    return { language: navigator.language, platform: hints.platform, platformVersion: hints.platformVersion };
  });
  await page.getByTestId('leave').click();
  await expect(page.getByTestId('meeting-ended')).toBeVisible();
  await page.close({ runBeforeUnload: true });

  await expect
    .poll(() => new Set(storedEvents(pool).map((e) => e.metric ?? e.type)), { timeout: 30_000 })
    .toEqual(
      new Set([
        'census',
        'joinAttempt',
        'joinSuccess',
        'meetingMinutes',
        'uncaught-error',
        'unhandled-rejection',
        'LCP',
        'FCP',
        'TTFB',
        'CLS',
        'INP',
        // Alone in the meeting the call has no peer: no quality figures, but the call and its devices.
        'callsMade',
        'callMinutes',
        'deviceConfig',
      ]),
    );

  const rows = storedEvents(pool);
  const secret = fs.readFileSync(path.join(pool.dataDir, 'telemetry-hmac.key'));
  const clientHash = createHash('sha256').update(`meet-launcher/user-id/v1:${participantId}`).digest('hex');
  const hmac = (value: string) => createHmac('sha256', secret).update(value).digest('hex');

  // Census: once, with the device's facts and the UserID hashed on the client, then again by the server.
  const census = rows.filter((r) => r.type === 'census').map(parsed);
  expect(census).toHaveLength(1);
  expect(census[0]).toMatchObject({
    appName: 'meet-launcher',
    deviceModel: expect.any(String),
    osName: facts.platform ?? 'Linux',
    osVersion: facts.platformVersion ?? expect.any(String),
    userLanguage: facts.language,
    userId: hmac(clientHash),
  });
  // What went over the wire (keepalive requests made while the page closes can lack a body in the
  // browser's log, so the server's log of what it received counts too).
  const wire = [...sentBatches(requests), ...receivedBatches(pool.received)].flatMap((b) => b.events);
  const sentCensus = wire.find((e) => e.type === 'census');
  expect(sentCensus).toMatchObject({ userId: clientHash });
  expect(clientHash).not.toBe(participantId);

  // Usage: counted once each, against the organizer's SIP domain.
  const usage = rows.filter((r) => r.type === 'usage').map(parsed);
  const sum = (metric: string) => usage.filter((e) => e.metric === metric).reduce((s, e) => s + Number(e.value), 0);
  expect(sum('joinAttempt')).toBe(1);
  expect(sum('joinSuccess')).toBe(1);
  expect(sum('meetingMinutes')).toBeGreaterThan(0);
  expect(sum('callsMade')).toBe(1);
  expect(sum('callMinutes')).toBeGreaterThan(0);
  const devices = rows.filter((r) => r.type === 'deviceConfig').map(parsed);
  expect(devices).toEqual([
    {
      id: expect.any(String),
      ts: expect.any(Number),
      type: 'deviceConfig',
      microphones: expect.any(Number),
      cameras: expect.any(Number),
      speakers: expect.any(Number),
      micOn: true,
      cameraOn: true,
    },
  ]);
  for (const e of usage) expect(e.federationPartner).toBe('contoso.com');

  // Errors: code, scrubbed message, short stack, the server's UserID hashed by the server.
  const errors = rows.filter((r) => r.type === 'error').map(parsed);
  const uncaught = errors.find((e) => e.code === 'uncaught-error');
  expect(uncaught).toMatchObject({ direction: 'none', userId: hmac(participantId) });
  expect(uncaught?.message).toBe('Error: boom one at <url>');
  expect(String(uncaught?.stack).length).toBeLessThanOrEqual(1000);
  expect(errors.find((e) => e.code === 'unhandled-rejection')?.message).toBe('TypeError: rejected one');

  // Web-vitals: one row per metric id, values in range.
  const vitals = rows.filter((r) => r.type === 'vital').map(parsed);
  expect(new Set(vitals.map((v) => v.metricId)).size).toBe(vitals.length);
  for (const v of vitals) expect(Number(v.value)).toBeGreaterThanOrEqual(0);

  // Nothing identifying in anything sent or stored.
  const everything = [
    JSON.stringify(rows),
    ...sentBatches(requests).map((b) => JSON.stringify(b)),
    ...receivedBatches(pool.received).map((b) => JSON.stringify(b)),
  ].join('\n');
  expect(everything).not.toContain(GUEST);
  expect(everything).not.toContain('7Q3DSSYV');
  expect(everything).not.toContain('secret=1');
  expect(JSON.stringify(rows)).not.toContain(participantId);
  expect(new Set(rows.map((r) => r.device_id)).size).toBe(1);
  expect(requests.filter(isTelemetryChunk)).toHaveLength(1);
  expect(requests.filter((r) => /web-vitals/.test(r.url))).toEqual([]);

  const report = await pool.reportFor('pool01.contoso.com');
  expect(report).toMatchObject({
    joinAttempts: 1,
    joinSuccesses: 1,
    joinSuccessRate: 1,
    errorReports: 2,
    devices: 1,
    sessions: 1,
  });
  expect(report.webVitalsP75.FCP).toEqual(expect.any(Number));
});

test('the DeviceID is made once and stays the same across reloads', async ({ page, pool, requests }) => {
  await setTelemetry(pool, true);
  await openMeeting(page, pool.url('/alice/7Q3DSSYV?sl=1'));
  await expect.poll(async () => (await telemetryStorage(page)).deviceId).toMatch(/^[0-9a-f-]{36}$/);
  const first = (await telemetryStorage(page)).deviceId;
  for (let i = 0; i < 2; i++) {
    await page.reload();
    await expect(page.getByTestId('launcher')).toBeVisible();
    await expect.poll(async () => (await telemetryStorage(page)).deviceId).toBe(first);
  }
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => storedEvents(pool).filter((e) => e.type === 'census').length, { timeout: 30_000 }).toBe(3);
  expect(new Set(storedEvents(pool).map((e) => e.device_id))).toEqual(new Set([first]));
  for (const batch of sentBatches(requests)) expect(batch.deviceId).toBe(first);
});
