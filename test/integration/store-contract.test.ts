/**
 * One store interface, two engines: every case here runs on SQLite (DATA_DIR) and on PostgreSQL
 * (a fresh database on the run's throwaway server) and must give the same answers: configuration
 * documents and the effective configuration, topology, meetings, dial-in, API keys, meta, admin
 * writes, the admin CLI's verbs, and the app serving a pool from the store.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/server/admin/args';
import { runCommand } from '../../src/server/admin/commands';
import { buildApp } from '../../src/server/app';
import { lookupMeeting } from '../../src/server/conference/lookup';
import { meetingLinks } from '../../src/server/links';
import { findMeetingByIdentity, scheduleMeeting } from '../../src/server/scheduling';
import { seedDemoIfEmpty } from '../../src/server/seed';
import type { Sql } from '../../src/server/sql/sql';
import { openStore, type Store } from '../../src/server/sql/store';
import { adminWrite } from '../../src/server/store/admin-write';
import { apiKeyUse } from '../../src/server/store/api-key-use';
import {
  authenticateApiKey,
  deleteApiKey,
  findApiKey,
  hashApiKey,
  insertApiKey,
  listApiKeys,
  newApiKeyValue,
} from '../../src/server/store/api-keys';
import {
  effectiveConfigFor,
  getDocument,
  listDocuments,
  parseIdentity,
  putDocument,
  removeDocument,
} from '../../src/server/store/config-store';
import {
  addDialInNumber,
  deleteDialInNumber,
  dialInFor,
  dialInNumbersOf,
  insertDialInNumber,
  listDialInNumbers,
  markMeetingEnded,
  meetingEndedAt,
  poolWithNumber,
} from '../../src/server/store/dialin';
import {
  addMeeting,
  deleteMeeting,
  findMeeting,
  goneMeetingKeys,
  listMeetings,
  listMeetingsOf,
  phoneConferenceIdTaken,
} from '../../src/server/store/meetings';
import { demoPort, isProductionStore, markStoreKind, recordDemoPort, storeKind } from '../../src/server/store/meta';
import {
  insertSite,
  listSites,
  poolDependents,
  poolForSipDomain,
  poolOfHost,
  replaceSipDomains,
  replaceWebHosts,
  sipDomainsOf,
  siteDependents,
} from '../../src/server/store/sites-pools';
import { findPool, findSite, hostsOf, listPools, poolForHost } from '../../src/server/topology';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { ENGINES, type EngineLocation, emptyLocation, storeContents } from '../support/engines';

describe.each(ENGINES)('the store on %s', (engine) => {
  let at: EngineLocation;
  let store: Store;
  let sql: Sql;

  beforeEach(async () => {
    at = await emptyLocation(engine);
    store = await openStore(at.location);
    expect(store.dialect).toBe(engine);
    expect(await seedDemoIfEmpty(store.sql)).toBe(true);
    sql = store.sql;
  });
  afterEach(async () => {
    await store.close();
    await at.cleanup();
  });

  const pool01 = async () => (await findPool(sql, 'pool01.contoso.com')) ?? expect.fail('pool01 missing');

  describe('configuration documents', () => {
    it('starts with only Global, at product defaults', async () => {
      expect(await listDocuments(sql)).toEqual([{ Identity: 'Global', ...PRODUCT_DEFAULTS }]);
      expect((await effectiveConfigFor(sql, await pool01())).MeetingUxEnableTelemetry).toBe(false);
    });

    it('prefers the service document, then the site, then Global, whole documents', async () => {
      await putDocument(
        sql,
        { kind: 'global' },
        { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true, DefaultLanguage: 'fr-FR' },
      );
      expect(await effectiveConfigFor(sql, await pool01())).toMatchObject({
        Identity: 'Global',
        MeetingUxEnableTelemetry: true,
      });

      await putDocument(sql, await parseIdentity(sql, 'site:redmond'), {
        ...PRODUCT_DEFAULTS,
        AutoLaunchDesktopClient: false,
      });
      const site = await effectiveConfigFor(sql, await pool01());
      // Whole-document override: the site's document does not inherit Global's values.
      expect(site).toMatchObject({ Identity: 'Site:Redmond', MeetingUxEnableTelemetry: false, DefaultLanguage: '' });

      await putDocument(sql, await parseIdentity(sql, 'Service:WebServer:POOL01.contoso.com'), {
        ...PRODUCT_DEFAULTS,
        MeetingUxEnableTelemetry: true,
      });
      expect(await effectiveConfigFor(sql, await pool01())).toMatchObject({
        Identity: 'Service:WebServer:pool01.contoso.com',
        MeetingUxEnableTelemetry: true,
        AutoLaunchDesktopClient: true,
      });
      // Another pool in another site still sees Global.
      const pool02 = (await findPool(sql, 'pool02.fabrikam.com')) ?? expect.fail('pool02 missing');
      expect((await effectiveConfigFor(sql, pool02)).Identity).toBe('Global');
    });

    it('keys documents without case: a second write in other case replaces the first', async () => {
      await putDocument(sql, await parseIdentity(sql, 'SITE:dublin'), {
        ...PRODUCT_DEFAULTS,
        DefaultLanguage: 'de-DE',
      });
      // Written with the site's name in another case than the stored one: the same key.
      await putDocument(sql, { kind: 'site', site: 'DUBLIN' }, { ...PRODUCT_DEFAULTS, DefaultLanguage: 'fr-FR' });
      const documents = await listDocuments(sql);
      expect(documents.map((d) => d.Identity)).toEqual(['Global', 'Site:Dublin']);
      expect(await getDocument(sql, { kind: 'site', site: 'dublin' })).toMatchObject({ DefaultLanguage: 'fr-FR' });
    });

    it('resets Global instead of deleting it, and deletes other documents', async () => {
      await putDocument(sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true });
      expect(await removeDocument(sql, { kind: 'global' })).toBe(true);
      expect(await getDocument(sql, { kind: 'global' })).toEqual({ Identity: 'Global', ...PRODUCT_DEFAULTS });
      const site = await parseIdentity(sql, 'Site:Dublin');
      await putDocument(sql, site, { ...PRODUCT_DEFAULTS });
      expect(await removeDocument(sql, site)).toBe(true);
      expect(await getDocument(sql, site)).toBeUndefined();
      expect(await removeDocument(sql, site)).toBe(false);
    });

    it.each(['Site:Nowhere', 'Service:WebServer:pool99.contoso.com', 'Pool:pool01.contoso.com', 'Globalx', ''])(
      'refuses the identity %s',
      async (identity) => {
        await expect(parseIdentity(sql, identity)).rejects.toThrow(/Identity/);
      },
    );

    it('refuses to store an invalid document and keeps the old one', async () => {
      const before = await listDocuments(sql);
      await expect(
        putDocument(sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, DownloadUrl: 'http://plain' }),
      ).rejects.toThrow(/DownloadUrl/);
      expect(await listDocuments(sql)).toEqual(before);
    });
  });

  describe('topology', () => {
    it('finds the pool of a host without case, a trailing dot or a port of its own', async () => {
      expect(await poolForHost(sql, 'LOCALHOST')).toEqual({ fqdn: 'pool01.contoso.com', site: 'Redmond' });
      expect(await poolForHost(sql, 'meet.fabrikam.test.')).toEqual({ fqdn: 'pool02.fabrikam.com', site: 'Dublin' });
      expect(await poolForHost(sql, 'meet.nowhere.test')).toBeUndefined();
      expect(await findPool(sql, 'POOL02.Fabrikam.com')).toEqual({ fqdn: 'pool02.fabrikam.com', site: 'Dublin' });
      expect(await findSite(sql, 'redmond')).toBe('Redmond');
      expect(await findSite(sql, 'Paris')).toBeUndefined();
      expect((await listPools(sql)).map((p) => p.fqdn)).toEqual(['pool01.contoso.com', 'pool02.fabrikam.com']);
      expect(await poolOfHost(sql, 'Meet.Contoso.Test')).toBe('pool01.contoso.com');
      expect(await poolForSipDomain(sql, 'FABRIKAM.com')).toEqual({ fqdn: 'pool02.fabrikam.com', site: 'Dublin' });
    });

    it('keeps web hosts and SIP domains in the order given (the first host is the one links use)', async () => {
      expect(await hostsOf(sql, 'pool01.contoso.com')).toEqual(['localhost', '127.0.0.1', 'meet.contoso.test']);
      await adminWrite(store, async (tx) => {
        await replaceWebHosts(tx, 'pool01.contoso.com', ['z.contoso.test', 'a.contoso.test', 'm.contoso.test']);
        await replaceSipDomains(tx, 'pool01.contoso.com', ['zeta.test', 'alpha.test']);
      });
      expect(await hostsOf(sql, 'pool01.contoso.com')).toEqual(['z.contoso.test', 'a.contoso.test', 'm.contoso.test']);
      expect(await sipDomainsOf(sql, 'pool01.contoso.com')).toEqual(['zeta.test', 'alpha.test']);
      expect(await poolForHost(sql, 'localhost')).toBeUndefined();
      const meeting = (await findMeeting(sql, { organizer: 'alice', conferenceId: '7Q3DSSYV' })) ?? expect.fail();
      expect((await meetingLinks(sql, meeting, { kind: 'https' })).guestLink).toBe(
        'https://z.contoso.test/alice/7Q3DSSYV',
      );
    });

    it('lists sites with their pools, and says what depends on a pool or a site', async () => {
      await adminWrite(store, (tx) => insertSite(tx, 'Paris'));
      expect(await listSites(sql)).toEqual([
        {
          name: 'Dublin',
          pools: [
            {
              fqdn: 'pool02.fabrikam.com',
              site: 'Dublin',
              webHosts: ['meet.fabrikam.test'],
              sipDomains: ['fabrikam.com'],
            },
          ],
        },
        { name: 'Paris', pools: [] },
        {
          name: 'Redmond',
          pools: [
            {
              fqdn: 'pool01.contoso.com',
              site: 'Redmond',
              webHosts: ['localhost', '127.0.0.1', 'meet.contoso.test'],
              sipDomains: ['contoso.com'],
            },
          ],
        },
      ]);
      expect(await poolDependents(sql, 'pool01.contoso.com')).toEqual([
        '3 meetings (remove-meeting)',
        '13 dial-in numbers (remove-dialin-number)',
      ]);
      await putDocument(sql, { kind: 'service', pool: 'POOL01.contoso.com' }, { ...PRODUCT_DEFAULTS });
      await insertApiKey(sql, 'pool01.contoso.com', 'Bot', newApiKeyValue(), 1);
      expect(await poolDependents(sql, 'pool01.contoso.com')).toEqual([
        '3 meetings (remove-meeting)',
        '13 dial-in numbers (remove-dialin-number)',
        '1 API key (remove-api-key)',
        'its configuration document Service:WebServer:pool01.contoso.com (remove)',
      ]);
      expect(await siteDependents(sql, 'Paris')).toEqual([]);
      await putDocument(sql, { kind: 'site', site: 'PARIS' }, { ...PRODUCT_DEFAULTS });
      expect(await siteDependents(sql, 'Paris')).toEqual(['its configuration document Site:Paris (remove)']);
      expect(await siteDependents(sql, 'Redmond')).toEqual(['pool pool01.contoso.com (remove-pool)']);
    });
  });

  describe('meetings', () => {
    it('finds a meeting by its key whatever the case of the link', async () => {
      const alice = await findMeeting(sql, { organizer: 'ALICE', conferenceId: '7q3dssyv' });
      expect(alice).toMatchObject({
        key: 'alice/7Q3DSSYV',
        pool: 'pool01.contoso.com',
        organizerUri: 'alice@contoso.com',
        subject: 'Quarterly planning',
        lobby: false,
      });
      expect(alice?.organizerKey).toMatch(/^[\w-]{22}$/);
      expect((await findMeeting(sql, { organizer: 'kenmyer', conferenceId: '071200' }))?.lobby).toBe(true);
      expect(await findMeeting(sql, { organizer: 'alice', conferenceId: 'NOPE' })).toBeUndefined();
      expect(await findMeetingByIdentity(sql, 'alice@contoso.com/7Q3DSSYV')).toMatchObject({ key: 'alice/7Q3DSSYV' });
      expect(await findMeetingByIdentity(sql, 'alice@fabrikam.com/7Q3DSSYV')).toBeUndefined();
    });

    it('lists meetings by pool and key; a second add of the same key changes nothing', async () => {
      const keys = async () => (await listMeetings(sql)).map((m) => m.key);
      expect(await keys()).toEqual(['alice/7Q3DSSYV', 'alice/ENDED2025', 'kenmyer/071200', 'carol/FAB12345']);
      expect((await listMeetingsOf(sql, 'pool02.fabrikam.com')).map((m) => m.key)).toEqual(['carol/FAB12345']);
      await addMeeting(sql, {
        organizer: 'alice',
        conferenceId: '7Q3DSSYV',
        pool: 'pool01.contoso.com',
        organizerUri: 'alice@contoso.com',
        subject: 'Something else',
        lobby: true,
        organizerKey: 'x'.repeat(22),
      });
      expect(await findMeeting(sql, { organizer: 'alice', conferenceId: '7Q3DSSYV' })).toMatchObject({
        subject: 'Quarterly planning',
        lobby: false,
      });
      expect(await deleteMeeting(sql, 'carol/FAB12345')).toBe(true);
      expect(await deleteMeeting(sql, 'carol/FAB12345')).toBe(false);
      expect(await keys()).toEqual(['alice/7Q3DSSYV', 'alice/ENDED2025', 'kenmyer/071200']);
    });

    it('schedules meetings with fresh IDs on the pool hosting the SIP domain, in one write', async () => {
      const made = [];
      for (let i = 0; i < 5; i++) {
        made.push(
          await adminWrite(store, (tx) => scheduleMeeting(tx, { organizer: 'sip:Dana@Contoso.com', subject: `S${i}` })),
        );
      }
      expect(new Set(made.map((m) => m.meeting.conferenceId)).size).toBe(5);
      expect(new Set(made.map((m) => m.phoneConferenceId)).size).toBe(5);
      for (const { meeting, phoneConferenceId } of made) {
        expect(meeting).toMatchObject({
          organizer: 'dana',
          pool: 'pool01.contoso.com',
          organizerUri: 'dana@contoso.com',
        });
        expect(await dialInFor(sql, meeting.key)).toEqual({ conferenceId: phoneConferenceId });
        expect(await phoneConferenceIdTaken(sql, 'pool01.contoso.com', phoneConferenceId)).toBe(true);
        expect(await phoneConferenceIdTaken(sql, 'pool02.fabrikam.com', phoneConferenceId)).toBe(false);
      }
      await expect(
        adminWrite(store, (tx) => scheduleMeeting(tx, { organizer: 'dana@nowhere.test', subject: 'x' })),
      ).rejects.toThrow(/No pool hosts the SIP domain nowhere.test/);
      expect(await listMeetingsOf(sql, 'pool01.contoso.com')).toHaveLength(3 + 5);
    });

    it('answers lookups: found with its phone ID, ended (410), on another pool (404)', async () => {
      const pool = await pool01();
      const found = await lookupMeeting(sql, pool, { organizer: 'alice', conferenceId: '7Q3DSSYV' });
      expect(found).toMatchObject({
        status: 200,
        body: { subject: 'Quarterly planning', dialIn: { conferenceId: '4815162' } },
      });
      expect(await lookupMeeting(sql, pool, { organizer: 'alice', conferenceId: 'ENDED2025' })).toMatchObject({
        status: 410,
        body: { code: 'meeting-ended', endedAt: Date.UTC(2025, 0, 15, 17, 30) },
      });
      expect(await lookupMeeting(sql, pool, { organizer: 'carol', conferenceId: 'FAB12345' })).toMatchObject({
        status: 404,
        body: { code: 'meeting-not-found' },
      });
    });

    it('tells which live meetings were removed or ended in the store', async () => {
      const live = ['alice/7Q3DSSYV', 'kenmyer/071200', 'carol/FAB12345', 'nobody/GONE1234'];
      expect(await goneMeetingKeys(sql, live)).toEqual(['nobody/GONE1234']);
      const at = Date.UTC(2026, 10, 29, 12);
      await markMeetingEnded(sql, 'kenmyer/071200', at);
      expect(await meetingEndedAt(sql, 'kenmyer/071200')).toBe(at);
      expect(await meetingEndedAt(sql, 'alice/7Q3DSSYV')).toBeUndefined();
      await deleteMeeting(sql, 'carol/FAB12345');
      expect(await goneMeetingKeys(sql, live)).toEqual(['kenmyer/071200', 'carol/FAB12345', 'nobody/GONE1234']);
      expect(await goneMeetingKeys(sql, [])).toEqual([]);
    });
  });

  describe('dial-in', () => {
    it("lists a pool's numbers by region, toll before toll-free, then number", async () => {
      expect(await dialInNumbersOf(sql, 'pool02.fabrikam.com')).toEqual([
        { region: 'GB', number: '+442079460199', display: '+44 20 7946 0199', tollFree: false },
        { region: 'IE', number: '+35315550100', display: '+353 1 555 0100', tollFree: false },
        { region: 'IE', number: '+3531800555010', display: '1800 555 010', tollFree: true },
        { region: 'US', number: '+12065550111', display: '+1 (206) 555-0111', tollFree: false },
      ]);
      expect(await listDialInNumbers(sql)).toHaveLength(13 + 4);
      expect((await listDialInNumbers(sql, 'pool02.fabrikam.com')).every((n) => n.pool === 'pool02.fabrikam.com')).toBe(
        true,
      );
      expect(await poolWithNumber(sql, '+18005550199')).toBe('pool01.contoso.com');
      expect(await poolWithNumber(sql, '+10000000000')).toBeUndefined();
    });

    it('adds, refuses a second insert of the same number on a pool, and removes', async () => {
      const entry = { region: 'fr', number: '+33155550199', display: '+33 1 55 55 01 99', tollFree: true };
      await insertDialInNumber(sql, 'pool02.fabrikam.com', entry);
      await expect(insertDialInNumber(sql, 'pool02.fabrikam.com', entry)).rejects.toThrow();
      // The seed's add leaves an existing number alone.
      await addDialInNumber(sql, 'pool02.fabrikam.com', { ...entry, display: 'changed' });
      expect((await dialInNumbersOf(sql, 'pool02.fabrikam.com')).find((n) => n.number === entry.number)).toEqual({
        ...entry,
        region: 'FR',
      });
      expect(await deleteDialInNumber(sql, 'pool02.fabrikam.com', entry.number)).toBe(true);
      expect(await deleteDialInNumber(sql, 'pool02.fabrikam.com', entry.number)).toBe(false);
      expect(await dialInNumbersOf(sql, 'pool02.fabrikam.com')).toHaveLength(4);
    });
  });

  describe('API keys', () => {
    it('stores a key by hash, finds it by name without case, notes its use, and revokes it', async () => {
      const key = newApiKeyValue();
      await insertApiKey(sql, 'pool01.contoso.com', 'Outlook add-in', key, 1000);
      await expect(insertApiKey(sql, 'pool01.contoso.com', 'OUTLOOK ADD-IN', newApiKeyValue(), 2000)).rejects.toThrow();
      expect(await findApiKey(sql, 'pool01.contoso.com', 'outlook add-in')).toEqual({
        pool: 'pool01.contoso.com',
        name: 'Outlook add-in',
        createdAt: 1000,
        lastUsedAt: null,
      });
      expect(await authenticateApiKey(sql, `${key}x`)).toBeUndefined();
      expect(await authenticateApiKey(sql, 'not-a-key')).toBeUndefined();
      expect((await listApiKeys(sql))[0]?.lastUsedAt).toBeNull();
      const found = await authenticateApiKey(sql, key);
      expect(found).toEqual({ pool: 'pool01.contoso.com', name: 'Outlook add-in', hash: hashApiKey(key) });
      // Checking a key writes nothing: its use is noted, then written by a flush.
      expect((await listApiKeys(sql))[0]?.lastUsedAt).toBeNull();
      const uses = apiKeyUse(sql);
      uses.note(found?.hash as string, 4000);
      uses.note(found?.hash as string, 3500);
      expect(await uses.flush()).toBe(true);
      expect(await listApiKeys(sql, 'pool01.contoso.com')).toEqual([
        { pool: 'pool01.contoso.com', name: 'Outlook add-in', createdAt: 1000, lastUsedAt: 4000 },
      ]);
      // An older use flushed late never moves the time back.
      uses.note(found?.hash as string, 3000);
      await uses.close();
      expect((await listApiKeys(sql))[0]?.lastUsedAt).toBe(4000);
      expect(await listApiKeys(sql, 'pool02.fabrikam.com')).toEqual([]);
      expect(JSON.stringify(await storeContents(at.location))).not.toContain(key);
      expect(await deleteApiKey(sql, 'pool01.contoso.com', 'Outlook add-in')).toBe(true);
      expect(await authenticateApiKey(sql, key)).toBeUndefined();
    });
  });

  describe('meta', () => {
    it('records what made the store once, and the demo port as last written', async () => {
      expect(await storeKind(sql)).toBe('demo');
      await markStoreKind(sql, 'production');
      expect(await storeKind(sql)).toBe('demo');
      expect(await isProductionStore(sql)).toBe(false);
      expect(await demoPort(sql)).toBeUndefined();
      await recordDemoPort(sql, 8080);
      await recordDemoPort(sql, 43123);
      expect(await demoPort(sql)).toBe(43123);
      // A second seed finds the demo there and adds nothing.
      expect(await seedDemoIfEmpty(sql)).toBe(false);
      expect(await listMeetings(sql)).toHaveLength(4);
    });
  });

  describe('admin writes', () => {
    it('roll back whole when they throw', async () => {
      const before = await storeContents(at.location);
      await expect(
        adminWrite(store, async (tx) => {
          await insertSite(tx, 'Paris');
          await putDocument(tx, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true });
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await storeContents(at.location)).toEqual(before);
    });

    it('queue: concurrent read-then-write commands all land', async () => {
      const counter = async (tx: Sql) =>
        Number((await tx.get<{ value: string }>("SELECT value FROM meta WHERE name = 'n'"))?.value ?? 0);
      await Promise.all(
        Array.from({ length: 12 }, () =>
          adminWrite(store, async (tx) => {
            const n = await counter(tx);
            await tx.run(
              "INSERT INTO meta (name, value) VALUES ('n', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
              [String(n + 1)],
            );
          }),
        ),
      );
      expect(await counter(sql)).toBe(12);
    });
  });

  describe('the admin CLI on this store', () => {
    const run = async (...argv: string[]) => runCommand(parseCommandLine(argv), at.location, 8080);

    it('changes what the open store reads at once, and leaves it as it was on a bad input', async () => {
      const pool02 = (await findPool(sql, 'pool02.fabrikam.com')) ?? expect.fail('pool02 missing');
      const flag = async () => (await effectiveConfigFor(sql, pool02)).MeetingUxEnableTelemetry;
      expect(
        (
          await run('new', '-Identity', 'Service:WebServer:POOL02.fabrikam.com', '-MeetingUxEnableTelemetry', 'true')
        )[0],
      ).toContain('"Identity": "Service:WebServer:pool02.fabrikam.com"');
      expect(await flag()).toBe(true);
      expect(
        await run('set', '-Identity', 'service:webserver:pool02.fabrikam.com', '-MeetingUxEnableTelemetry', 'false'),
      ).toEqual(['Set Service:WebServer:pool02.fabrikam.com: MeetingUxEnableTelemetry: true -> false']);
      expect(await flag()).toBe(false);
      const before = await storeContents(at.location);
      for (const [argv, message] of [
        [['set', '-MeetingUxEnableTelemetry', 'maybe'], /takes true or false/],
        [['new', '-Identity', 'Site:Nowhere'], /no site named "Nowhere"/],
        [['remove-pool', '-Identity', 'pool01.contoso.com'], /still has 3 meetings/],
        [['new-meeting', '-Organizer', 'x@nowhere.test', '-Subject', 's'], /No pool hosts the SIP domain/],
        [['new-api-key', '-Pool', 'pool09.contoso.com', '-Name', 'x'], /no pool named/],
        [['remove-dialin-number', '-Pool', 'pool02.fabrikam.com', '-Number', '+14255550100'], /has no dial-in number/],
      ] as [string[], RegExp][]) {
        await expect(run(...argv), argv.join(' ')).rejects.toThrow(message);
        expect(await storeContents(at.location), argv.join(' ')).toEqual(before);
      }
    });
  });

  describe('the app on this store', () => {
    let app: FastifyInstance;
    beforeEach(async () => {
      const dist = path.join(at.location.dataDir, '..', 'dist');
      fs.mkdirSync(dist, { recursive: true });
      fs.writeFileSync(
        path.join(dist, 'index.html'),
        '<!doctype html><html><head><title>t</title></head><body></body></html>',
      );
      app = await buildApp({ store, secret: Buffer.alloc(32, 5), distDir: dist });
    });
    afterEach(() => app.close());

    const get = (url: string, host: string) => app.inject({ url, headers: { host } });

    it('serves lookups, the pool config, the dial-in directory and readiness from the store', async () => {
      const lookup = await get('/api/v1/meetings/alice/7Q3DSSYV', '127.0.0.1');
      expect(lookup.statusCode).toBe(200);
      expect(lookup.json()).toMatchObject({ subject: 'Quarterly planning', dialIn: { conferenceId: '4815162' } });
      expect((await get('/api/v1/meetings/alice/ENDED2025', '127.0.0.1')).statusCode).toBe(410);
      expect((await get('/api/v1/meetings/alice/7Q3DSSYV', 'meet.fabrikam.test')).statusCode).toBe(404);
      expect((await get('/config/webservice.json', 'meet.nowhere.test')).json()).toMatchObject({
        code: 'unknown-host',
      });
      expect((await get('/config/webservice.json', 'meet.fabrikam.test')).json().MeetingUxEnableTelemetry).toBe(false);
      await putDocument(
        sql,
        { kind: 'service', pool: 'pool02.fabrikam.com' },
        { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true },
      );
      expect((await get('/config/webservice.json', 'meet.fabrikam.test')).json().MeetingUxEnableTelemetry).toBe(true);
      expect((await get('/config/webservice.json', 'localhost')).json().MeetingUxEnableTelemetry).toBe(false);
      const directory = (await get('/api/v1/dialin', 'meet.fabrikam.test')).json();
      expect(directory.numbers.map((n: { number: string }) => n.number)).toEqual([
        '+442079460199',
        '+35315550100',
        '+3531800555010',
        '+12065550111',
      ]);
      const ready = await get('/readyz', 'localhost');
      expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready' }]);
    });

    it('lets a guest join and the organizer join by the key in the store', async () => {
      const join = (displayName: string, organizerKey?: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
          headers: { host: '127.0.0.1', 'content-type': 'application/json' },
          payload: organizerKey ? { displayName, organizerKey } : { displayName },
        });
      expect((await join('Guest')).statusCode).toBe(201);
      const key = (await findMeeting(sql, { organizer: 'alice', conferenceId: '7Q3DSSYV' }))?.organizerKey as string;
      expect((await join('Alice', key)).json()).toMatchObject({ role: 'organizer', state: 'in-meeting' });
      expect((await join('Mallory', 'x'.repeat(22))).statusCode).toBe(403);
    });
  });
});
