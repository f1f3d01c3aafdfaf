/**
 * The server's log, read back as an operator would: one JSON line per answered request with its
 * request id, route pattern, status and duration; errors with their stack; and never a token,
 * organizer key, display name, chat text or query string.
 */
import { PassThrough } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { parseLogLevel } from '../../src/server/logging';
import { createMetrics } from '../../src/server/metrics';
import { findMeeting } from '../../src/server/store/meetings';
import { startTestApp, type TestApp } from '../support/security-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

it('logs each request as JSON with id, route, status and duration, and no secret or name', async () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk;
  });
  t = await startTestApp({ log: { level: 'info', stream } });
  const { app, sql } = t;
  const host = { host: '127.0.0.1' };
  const organizerKey = (await findMeeting(sql, { organizer: 'alice', conferenceId: '7Q3DSSYV' }))
    ?.organizerKey as string;
  const join = await app.inject({
    method: 'POST',
    url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
    headers: { ...host, 'content-type': 'application/json' },
    payload: { displayName: 'Zebulon Secretname', organizerKey },
  });
  const { participantId, token } = join.json() as { participantId: string; token: string };
  await app.inject({
    method: 'POST',
    url: `/api/v1/participants/${participantId}/chat`,
    headers: { ...host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: { text: 'the quarterly numbers are confidential', clientMessageId: 'client-msg-0001' },
  });
  // A wrong token in the event stream's query: the URL must not reach the log.
  const wrongToken = `${token.slice(0, -4)}zzzz`;
  expect(
    (await app.inject({ url: `/api/v1/participants/${participantId}/events?token=${wrongToken}`, headers: host }))
      .statusCode,
  ).toBe(401);
  await app.inject({ url: '/alice/7Q3DSSYV?sl=1&secret=query-value', headers: host });

  await expect.poll(() => text.split('\n').filter((l) => l.includes('"route"')).length).toBeGreaterThanOrEqual(3);
  const lines = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const requests = lines.filter((l) => l.msg === 'request');
  expect(requests.find((l) => l.route === '/api/v1/participants/:id/chat')).toMatchObject({
    method: 'POST',
    status: 201,
    reqId: expect.any(String),
    durationMs: expect.any(Number),
  });
  expect(requests.find((l) => l.route === '/api/v1/meetings/:organizer/:conferenceId/participants')).toMatchObject({
    status: 201,
  });
  expect(requests.find((l) => l.route === '/api/v1/participants/:id/events')).toMatchObject({ status: 401 });
  for (const secret of [
    token,
    wrongToken,
    organizerKey,
    'Secretname',
    'confidential',
    'query-value',
    'sl=1',
    'token=',
  ]) {
    expect(text).not.toContain(secret);
  }
});

it('logs a server error with its stack', async () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk;
  });
  t = await startTestApp({ log: { level: 'info', stream } });
  // A store that went away: every lookup throws.
  t.db.close();
  expect(
    (await t.app.inject({ url: '/api/v1/meetings/alice/7Q3DSSYV', headers: { host: '127.0.0.1' } })).statusCode,
  ).toBe(500);
  await expect.poll(() => text).toContain('database connection is not open');
  const error = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { level: number; err?: { stack?: string } })
    .find((l) => l.level === 50);
  expect(error?.err?.stack).toMatch(/database connection is not open\n\s+at /);
});

it('names the node on every line and as a label of every metric (NODE_NAME)', async () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk;
  });
  const metrics = createMetrics({ nodeName: 'web-2:8080' });
  t = await startTestApp({ log: { level: 'info', stream, nodeName: 'web-2:8080' }, metrics });
  await t.app.inject({ url: '/config/webservice.json', headers: { host: '127.0.0.1' } });
  await expect.poll(() => text).toContain('"route"');
  const lines = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line.node).toBe('web-2:8080');
  const exposition = await metrics.registry.metrics();
  expect(exposition).toMatch(/meet_http_requests_total\{[^}]*route="\/config\/webservice.json"[^}]*node="web-2:8080"/);
  expect(exposition).toMatch(/process_cpu_user_seconds_total\{node="web-2:8080"\}/);
});

it('reads LOG_LEVEL and refuses a level that does not exist', () => {
  expect(parseLogLevel(undefined)).toBe('info');
  expect(parseLogLevel('DEBUG')).toBe('debug');
  expect(() => parseLogLevel('loud')).toThrow(/LOG_LEVEL must be one of/);
});
