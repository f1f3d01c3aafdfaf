/**
 * A client that aborts its upload mid-body is not a store error (issue 21, finding 7): Node reports
 * it as ECONNRESET "aborted", the code of a lost PostgreSQL connection, and it used to count in
 * meet_store_errors_total and log at error level (false alerts). Against the real app on a socket.
 */
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { createMetrics } from '../../src/server/metrics';
import { putDocument } from '../../src/server/store/config-store';
import { isClientAbort } from '../../src/server/telemetry/store-errors';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import { startTestApp, type TestApp } from '../support/security-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Starts a POST with a 20,000-byte body, sends 1,000 bytes of it, and resets the connection. */
function abortedUpload(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `POST ${TELEMETRY_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 20000\r\n\r\n`,
      );
      socket.write(`{"v":1,"deviceId":"${'x'.repeat(970)}`, () => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    socket.on('error', reject);
  });
}

it('aborted uploads are neither counted as store errors nor logged at error level', async () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk;
  });
  const metrics = createMetrics();
  t = await startTestApp({ log: { level: 'info', stream }, metrics });
  await putDocument(t.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as net.AddressInfo;
  for (let i = 0; i < 20; i++) await abortedUpload(port);

  const aborted = () => text.split('\n').filter((l) => l.includes('client aborted the request')).length;
  await expect.poll(aborted).toBe(20);
  const lines = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { level: number; msg: string });
  expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  const errors = await metrics.registry.getSingleMetric('meet_store_errors_total')?.get();
  expect(errors?.values[0]?.value ?? 0).toBe(0);
  // The service still works for the next client.
  const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(ok.status).toBe(200);
});

it('tells a client abort from a lost store connection with the same code', () => {
  const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
  const lostStore = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  expect(isClientAbort(aborted)).toBe(true);
  expect(isClientAbort(lostStore, { aborted: false, destroyed: false })).toBe(false);
  expect(isClientAbort(lostStore, { destroyed: true })).toBe(true);
  expect(isClientAbort(Object.assign(new Error('aborted'), { code: 'SQLITE_BUSY' }))).toBe(false);
});
