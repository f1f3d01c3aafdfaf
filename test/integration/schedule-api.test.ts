/**
 * The scheduling API, /readyz and the metrics against the real app on a production store made with
 * the admin CLI: keys per pool, organizers of the pool's SIP domains only, rate limit, removal
 * ending the meeting for those in it (through the API at once, through the CLI within seconds).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/server/admin/args';
import { runCommand } from '../../src/server/admin/commands';
import { buildApp } from '../../src/server/app';
import { createMetrics, type Metrics } from '../../src/server/metrics';
import { SCHEDULE_RATE_LIMIT_PER_MINUTE } from '../../src/server/routes/schedule';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import { storeOf } from '../support/temp-store';
import { seedTopology } from '../support/topology';

let root: string;
let db: Db;
let app: FastifyInstance;
let metrics: Metrics;
let key: string;
let otherKey: string;

const admin = (...argv: string[]) => runCommand(parseCommandLine(argv), { dataDir: root });
const HOST = 'meet.contoso.com';

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-schedule-'));
  [key, otherKey] = (
    await seedTopology(
      { dataDir: root },
      {
        pools: [
          { identity: 'pool03.contoso.com', site: 'Redmond', webHost: HOST, sipDomain: 'contoso.com' },
          { identity: 'pool04.fabrikam.com', site: 'Redmond', webHost: 'meet.fabrikam.com', sipDomain: 'fabrikam.com' },
        ],
        apiKeys: [
          { pool: 'pool03.contoso.com', name: 'Outlook add-in' },
          { pool: 'pool04.fabrikam.com', name: 'Bot' },
        ],
      },
    )
  ).apiKeys as [string, string];
  db = openDatabase(root);
  metrics = createMetrics();
  app = await buildApp({
    store: storeOf(db),
    secret: Buffer.alloc(32, 1),
    distDir: root,
    links: () => ({ kind: 'https' }),
    metrics,
  });
});

afterEach(async () => {
  await app.close();
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const schedule = (body: unknown, bearer: string | undefined = key, host = HOST, remoteAddress = '127.0.0.1') =>
  app.inject({
    method: 'POST',
    url: '/api/v1/schedule/meetings',
    remoteAddress,
    headers: { host, 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    payload: JSON.stringify(body),
  });
const meetingCount = () => (db.prepare('SELECT COUNT(*) AS n FROM meetings').get() as { n: number }).n;

describe('POST /api/v1/schedule/meetings', () => {
  it('schedules for an organizer of the pool and answers what new-meeting --json prints', async () => {
    const response = await schedule({ organizer: 'alice@contoso.com', subject: 'Quarterly planning', lobby: true });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['conferenceId', 'guestLink', 'organizerLink', 'phoneConferenceId']);
    expect(body.guestLink).toBe(`https://${HOST}/alice/${body.conferenceId}`);
    const listed = JSON.parse((await admin('meetings', '--json'))[0] as string).meetings;
    expect(listed).toMatchObject([{ subject: 'Quarterly planning', lobby: true, organizerLink: body.organizerLink }]);
    const lookup = await app.inject({ url: `/api/v1/meetings/alice/${body.conferenceId}`, headers: { host: HOST } });
    expect(lookup.json()).toMatchObject({
      subject: 'Quarterly planning',
      dialIn: { conferenceId: body.phoneConferenceId },
    });
    // The key's use is written outside the request path: on the next flush.
    expect(JSON.parse((await admin('api-keys', '--json'))[0] as string).keys[0].lastUsedAt).toBeNull();
    await app.apiKeyUse.flush();
    expect(JSON.parse((await admin('api-keys', '--json'))[0] as string).keys[0].lastUsedAt).not.toBeNull();
  });

  it.each([
    ['no key', '', HOST, { organizer: 'alice@contoso.com', subject: 'x' }, 401, 'api-key-invalid'],
    ['a wrong key', 'mlk_nope', HOST, { organizer: 'alice@contoso.com', subject: 'x' }, 401, 'api-key-invalid'],
    ["another pool's key", 'OTHER', HOST, { organizer: 'alice@contoso.com', subject: 'x' }, 403, 'api-key-wrong-pool'],
    [
      'an organizer of another pool',
      'KEY',
      HOST,
      { organizer: 'carol@fabrikam.com', subject: 'x' },
      403,
      'organizer-not-on-pool',
    ],
    ['not a SIP address', 'KEY', HOST, { organizer: 'alice', subject: 'x' }, 400, 'organizer-invalid'],
    ['an empty subject', 'KEY', HOST, { organizer: 'alice@contoso.com', subject: ' ' }, 400, 'subject-invalid'],
    ['an unknown field', 'KEY', HOST, { organizer: 'alice@contoso.com', subject: 'x', pool: 'p' }, 400, 'bad-request'],
    ['a wrong type', 'KEY', HOST, { organizer: 'alice@contoso.com', subject: 'x', lobby: 'yes' }, 400, 'bad-request'],
    ['not an object', 'KEY', HOST, ['alice@contoso.com'], 400, 'bad-request'],
  ])('refuses %s with a JSON error and stores nothing', async (_what, bearer, host, body, status, code) => {
    const token = bearer === 'KEY' ? key : bearer === 'OTHER' ? otherKey : bearer;
    const response = await schedule(body, token, host);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
    expect(JSON.stringify(response.json())).not.toContain(key);
    expect(meetingCount()).toBe(0);
  });

  it(`is rate limited per client address (${SCHEDULE_RATE_LIMIT_PER_MINUTE} a minute)`, async () => {
    for (let i = 0; i < SCHEDULE_RATE_LIMIT_PER_MINUTE; i++) {
      expect((await schedule({}, 'mlk_guess', HOST, '127.0.0.2')).statusCode).toBe(401);
    }
    const limited = await schedule({}, 'mlk_guess', HOST, '127.0.0.2');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'rate-limited' });
    const other = await schedule({ organizer: 'alice@contoso.com', subject: 'x' }, key, HOST, '127.0.0.3');
    expect(other.statusCode).toBe(201);
  });
});

describe('removing a meeting', () => {
  async function scheduledAndJoined() {
    const { conferenceId } = (await schedule({ organizer: 'alice@contoso.com', subject: 'Sync' })).json();
    const join = await app.inject({
      method: 'POST',
      url: `/api/v1/meetings/alice/${conferenceId}/participants`,
      headers: { host: HOST, 'content-type': 'application/json' },
      payload: JSON.stringify({ displayName: 'Guest' }),
    });
    expect(join.statusCode).toBe(201);
    const { participantId, token } = join.json();
    const state = () =>
      app.inject({
        url: `/api/v1/participants/${participantId}`,
        headers: { host: HOST, authorization: `Bearer ${token}` },
      });
    expect((await state()).statusCode).toBe(200);
    return { conferenceId, state };
  }

  it('through the API ends it at once for those in it; only the key of its pool may', async () => {
    const { conferenceId, state } = await scheduledAndJoined();
    const remove = (bearer: string) =>
      app.inject({
        method: 'DELETE',
        url: `/api/v1/schedule/meetings/alice/${conferenceId}`,
        headers: { host: HOST, authorization: `Bearer ${bearer}` },
      });
    expect((await remove(otherKey)).statusCode).toBe(403);
    expect((await remove(key)).statusCode).toBe(204);
    expect((await state()).json()).toMatchObject({ code: 'no-longer-in-meeting' });
    expect((await remove(key)).json()).toMatchObject({ code: 'meeting-not-found' });
    expect(meetingCount()).toBe(0);
  });

  it('through the admin CLI (another process) ends it for those in it within seconds', async () => {
    const { conferenceId, state } = await scheduledAndJoined();
    await admin('remove-meeting', '-Identity', `alice/${conferenceId}`);
    await expect.poll(async () => (await state()).statusCode, { timeout: 8_000, interval: 250 }).toBe(410);
  });
});

describe('/readyz and metrics', () => {
  it('/readyz is 200 while accepting work with a writable store, 503 when draining', async () => {
    const ready = await app.inject({ url: '/readyz', headers: { host: 'anything.example' } });
    expect(ready.statusCode).toBe(200);
    app.lifecycle.accepting = false;
    const draining = await app.inject({ url: '/readyz' });
    expect(draining.statusCode).toBe(503);
    expect(draining.json()).toEqual({ status: 'draining' });
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('counts requests by route pattern and status, refused batches by reason, live participants; no personal data', async () => {
    const { conferenceId } = (await schedule({ organizer: 'alice@contoso.com', subject: 'Secret subject' })).json();
    await app.inject({
      method: 'POST',
      url: `/api/v1/meetings/alice/${conferenceId}/participants`,
      headers: { host: HOST, 'content-type': 'application/json' },
      payload: JSON.stringify({ displayName: 'Person Name' }),
    });
    await app.inject({
      method: 'POST',
      url: '/telemetry/v1/batch',
      headers: { host: HOST, 'content-type': 'application/json' },
      payload: '{}',
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'meet_http_requests_total{route="/api/v1/meetings/:organizer/:conferenceId/participants",method="POST",status="201"} 1',
    );
    expect(text).toContain('meet_http_requests_total{route="/api/v1/schedule/meetings",method="POST",status="201"} 1');
    expect(text).toContain('meet_telemetry_batches_refused_total{reason="telemetry-disabled"} 1');
    expect(text).toContain('meet_live_participants{state="in-meeting"} 1');
    expect(text).toContain('meet_live_meetings 1');
    expect(text).toMatch(
      /meet_http_request_duration_seconds_bucket\{le="0\.05",route="\/readyz|meet_http_request_duration_seconds_count/,
    );
    for (const secret of [conferenceId, 'alice', 'Person Name', 'Secret subject', key])
      expect(text).not.toContain(secret);
  });
});
