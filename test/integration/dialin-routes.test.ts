import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { seedDemoIfEmpty } from '../../src/server/seed';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import { addMeeting, findMeeting } from '../../src/server/store/meetings';
import type { DialInDirectory, MeetingInfo } from '../../src/shared/api-schema';
import { storeOf, tempStore } from '../support/temp-store';

let dataDir: string;
let db: Db;
let app: FastifyInstance;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-unit-'));
  db = openDatabase(dataDir);
  await seedDemoIfEmpty(storeOf(db).sql);
  const distDir = path.join(dataDir, 'dist');
  fs.mkdirSync(distDir);
  fs.writeFileSync(path.join(distDir, 'index.html'), '<html><head><title>t</title></head><body></body></html>');
  app = await buildApp({ store: storeOf(db), secret: Buffer.alloc(32), distDir });
});

afterAll(async () => {
  await app.close();
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (url: string, host = 'localhost') => app.inject({ method: 'GET', url, headers: { host } });

describe('meeting lookup with dial-in data', () => {
  it('answers the phone conference ID only; the numbers come from the pool directory', async () => {
    const response = await get('/api/v1/meetings/alice/7Q3DSSYV');
    expect(response.statusCode).toBe(200);
    const info = response.json<MeetingInfo>();
    expect(info.conferenceUri).toBe('sip:alice@contoso.com;gruu;opaque=app:conf:focus:id:7Q3DSSYV');
    expect(info.dialIn).toEqual({ conferenceId: '4815162' });
    expect(response.body).not.toContain('+18005550199');
  });

  it('has no dial-in part for a meeting without a phone conference ID', async () => {
    await addMeeting(storeOf(db).sql, {
      organizer: 'bob',
      conferenceId: 'NODIALIN',
      pool: 'pool01.contoso.com',
      organizerUri: 'bob@contoso.com',
      subject: 'No phone',
      lobby: false,
      organizerKey: 'k'.repeat(22),
    });
    const response = await get('/api/v1/meetings/bob/NODIALIN');
    expect(response.statusCode).toBe(200);
    const info = response.json<MeetingInfo>();
    expect(info).not.toHaveProperty('dialIn');
  });

  it('answers 410 meeting-ended with the time for an ended meeting', async () => {
    const response = await get('/api/v1/meetings/alice/ENDED2025');
    expect(response.statusCode).toBe(410);
    expect(response.json()).toMatchObject({ code: 'meeting-ended', endedAt: Date.UTC(2025, 0, 15, 17, 30) });
  });

  it('refuses a join to an ended meeting with the same 410, for guests and the organizer alike', async () => {
    for (const payload of [{ displayName: 'Late Guest' }, { displayName: 'Alice', organizerKey: 'x'.repeat(22) }]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/meetings/alice/ENDED2025/participants',
        headers: { host: 'localhost' },
        payload,
      });
      expect(response.statusCode).toBe(410);
      expect(response.json()).toMatchObject({ code: 'meeting-ended', endedAt: Date.UTC(2025, 0, 15, 17, 30) });
    }
  });
});

describe('GET /api/v1/dialin', () => {
  it('lists the pool’s numbers, toll before toll-free in each region', async () => {
    const response = await get('/api/v1/dialin');
    expect(response.statusCode).toBe(200);
    const { numbers } = response.json<DialInDirectory>();
    const us = numbers.filter((n) => n.region === 'US');
    expect(us.map((n) => n.tollFree)).toEqual([false, true]);
    expect(numbers.some((n) => n.region === 'IE')).toBe(false);
  });

  it('lists each number with its E.164 form, as written locally, and whether it is toll-free', async () => {
    const { numbers } = (await get('/api/v1/dialin')).json<DialInDirectory>();
    expect(numbers).toContainEqual({
      region: 'US',
      number: '+18005550199',
      display: '+1 (800) 555-0199',
      tollFree: true,
    });
    for (const n of numbers) expect(n.number).toMatch(/^\+\d{6,15}$/);
  });

  it('gives each pool its own numbers', async () => {
    const { numbers } = (await get('/api/v1/dialin', 'meet.fabrikam.test')).json<DialInDirectory>();
    expect(new Set(numbers.map((n) => n.region))).toEqual(new Set(['IE', 'GB', 'US']));
  });

  it('is not served for an unknown host', async () => {
    expect((await get('/api/v1/dialin', 'evil.example')).statusCode).toBe(404);
  });
});

describe('the page preloads what it asks for first', () => {
  it.each([
    ['/alice/7Q3DSSYV', '/config/webservice.json'],
    ['/alice/7Q3DSSYV', '/api/v1/meetings/alice/7Q3DSSYV'],
    ['/contoso.com/Meet/alice/7Q3DSSYV', '/api/v1/meetings/alice/7Q3DSSYV'],
    ['/dialin', '/api/v1/dialin'],
  ])('%s', async (url, preload) => {
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`<link rel="preload" href="${preload}" as="fetch" crossorigin>`);
  });

  it('an invalid link gets no preload and a 404', async () => {
    const response = await get('/alice/%3Cscript%3E');
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('rel="preload"');
  });
});

describe('a demo store seeded before join by phone existed', () => {
  const count = (d: Db, sql: string) => (d.prepare(sql).get() as { n: number }).n;
  const NUMBERS = 'SELECT COUNT(*) AS n FROM dialin_numbers';
  const PHONE_IDS = 'SELECT COUNT(*) AS n FROM meetings WHERE dialin_conference_id IS NOT NULL';

  it('gets the demo dial-in data on the next start, once, and keeps its meetings', async () => {
    const store = await tempStore();
    try {
      const seeded = { numbers: count(store.db, NUMBERS), phoneIds: count(store.db, PHONE_IDS) };
      const alice = await findMeeting(store.sql, { organizer: 'alice', conferenceId: '7Q3DSSYV' });
      // What an older store looks like: no numbers, no phone IDs, no ended meeting.
      store.db.exec(
        "DELETE FROM dialin_numbers; UPDATE meetings SET dialin_conference_id = NULL; DELETE FROM meetings WHERE conference_id = 'ENDED2025'",
      );
      expect(await seedDemoIfEmpty(store.sql)).toBe(false);
      expect({ numbers: count(store.db, NUMBERS), phoneIds: count(store.db, PHONE_IDS) }).toEqual(seeded);
      expect(await findMeeting(store.sql, { organizer: 'alice', conferenceId: 'ENDED2025' })).toBeDefined();
      expect((await findMeeting(store.sql, { organizer: 'alice', conferenceId: '7Q3DSSYV' }))?.organizerKey).toBe(
        alice?.organizerKey,
      );
      await seedDemoIfEmpty(store.sql);
      expect(count(store.db, NUMBERS)).toBe(seeded.numbers);
    } finally {
      store.cleanup();
    }
  });

  it('leaves a store with any dial-in data of its own alone', async () => {
    const store = await tempStore();
    try {
      store.db.exec("DELETE FROM dialin_numbers WHERE region <> 'US'");
      const before = count(store.db, NUMBERS);
      await seedDemoIfEmpty(store.sql);
      expect(count(store.db, NUMBERS)).toBe(before);
    } finally {
      store.cleanup();
    }
  });
});
