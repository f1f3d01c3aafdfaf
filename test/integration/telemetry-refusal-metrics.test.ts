/**
 * meet_telemetry_batches_refused_total names each refusal's cause: the daily quotas' 429s are
 * counted as `daily-quota-exceeded` and `address-quota-exceeded`, not as the per-minute
 * `rate-limited` (an admin reading the metric would otherwise look for a flood that is not there).
 */
import { afterEach, expect, it } from 'vitest';
import { createMetrics } from '../../src/server/metrics';
import { putDocument } from '../../src/server/store/config-store';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import { startTestApp, type TestApp } from '../support/security-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

let serial = 0;
const batch = (n: number) =>
  JSON.stringify({
    v: 1,
    deviceId: '5b2f7c1e-8d44-4b7a-9a53-1f0e2d3c4b5a',
    events: Array.from({ length: n }, () => ({
      id: `refusal-${serial++}-abcdefgh`,
      type: 'usage',
      ts: 1_790_000_000_000,
      metric: 'joinAttempt',
      value: 1,
    })),
  });

it('counts quota refusals under their own causes', async () => {
  const metrics = createMetrics();
  t = await startTestApp({ metrics });
  // 20 events a day for the pool: 2 per address (a tenth).
  await putDocument(
    t.sql,
    { kind: 'global' },
    { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true, TelemetryMaxEventsPerDay: 20 },
  );
  const app = t.app;
  const post = (n: number, remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: TELEMETRY_PATH,
      remoteAddress,
      headers: { host: '127.0.0.1', 'content-type': 'text/plain' },
      payload: batch(n),
    });
  const overShare = await post(5, '10.0.0.1');
  expect(overShare.statusCode).toBe(429);
  expect(overShare.json()).toMatchObject({ code: 'address-quota-exceeded', stored: 2 });
  // Nine more addresses spend the pool's day (2 each: 20 in all), then a new one is refused.
  for (let i = 2; i <= 10; i++) expect((await post(2, `10.0.0.${i}`)).statusCode).toBe(200);
  const spent = await post(1, '10.0.0.11');
  expect(spent.statusCode).toBe(429);
  expect(spent.json()).toMatchObject({ code: 'daily-quota-exceeded', stored: 0 });

  const refused = await metrics.registry.getSingleMetric('meet_telemetry_batches_refused_total')?.get();
  const byReason = Object.fromEntries((refused?.values ?? []).map((v) => [v.labels.reason, v.value]));
  expect(byReason).toEqual({ 'address-quota-exceeded': 1, 'daily-quota-exceeded': 1 });
});
