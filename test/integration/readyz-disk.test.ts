/**
 * `/readyz` is not ready while the disk guard refuses writes (issue 21, finding 7): a balancer
 * sends new work elsewhere and an operator's check sees the full disk, while /healthz (liveness)
 * stays 200 so nothing restarts the process for it.
 */
import Fastify from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { registerHealthRoutes } from '../../src/server/routes/health';
import { startTestApp, type TestApp } from '../support/security-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

it('answers 503 disk-full below the free-space floor of DATA_DIR, and 200 above it', { timeout: 30_000 }, async () => {
  t = await startTestApp({ ingestLimits: { minFreeBytes: Number.MAX_SAFE_INTEGER } });
  const full = await t.app.inject({ url: '/readyz' });
  expect(full.statusCode).toBe(503);
  expect(full.json()).toEqual({ status: 'disk-full' });
  expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  await t.close();
  t = await startTestApp({ ingestLimits: { minFreeBytes: 0 } });
  expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
});

it('follows the guard: not ready while it refuses (a write met "disk full"), ready once it has room', {
  timeout: 30_000,
}, async () => {
  t = await startTestApp();
  let room = false;
  const app = Fastify();
  registerHealthRoutes(app, t.store, { accepting: true }, { hasRoom: () => room, sawFull: () => {} });
  expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
  room = true;
  expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
  await app.close();
});
