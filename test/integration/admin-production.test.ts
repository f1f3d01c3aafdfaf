/**
 * The admin verbs of a production store, on SQLite (DATA_DIR) and on PostgreSQL (DATABASE_URL):
 * init, topology, meetings, dial-in numbers, API keys, get -Effective and help. Every bad input
 * leaves the store as it was: byte-for-byte on SQLite, row-for-row on PostgreSQL.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliUsageError, parseCommandLine } from '../../src/server/admin/args';
import { CliError, runCommand } from '../../src/server/admin/commands';
import { isOpsVerb } from '../../src/server/admin/ops-verbs';
import { VERBS } from '../../src/server/admin/verbs';
import { seedDemoIfEmpty } from '../../src/server/seed';
import { openStore } from '../../src/server/sql/store';
import { IdentityError } from '../../src/server/store/config-store';
import { recordDemoPort } from '../../src/server/store/meta';
import { PARAMETER_NAMES } from '../../src/shared/config-schema';
import { ENGINES, type EngineLocation, emptyLocation, storeContents } from '../support/engines';
import { type SeededMeeting, seedTopology } from '../support/topology';

let at: EngineLocation;

const run = async (...argv: string[]) => runCommand(parseCommandLine(argv), at.location);
const json = async (...argv: string[]) => JSON.parse((await run(...argv, '--json'))[0] as string);

/** The store as it is: every file hashed (SQLite), or every row of every table (PostgreSQL). */
async function storeState(): Promise<unknown> {
  if (at.engine === 'postgres') return storeContents(at.location);
  const { dataDir } = at.location;
  const hashes: Record<string, string> = {};
  for (const name of fs.readdirSync(dataDir).sort()) {
    hashes[name] = createHash('sha256')
      .update(fs.readFileSync(path.join(dataDir, name)))
      .digest('hex');
  }
  return hashes;
}

async function productionStore() {
  const { meetings } = await seedTopology(at.location, {
    pools: [
      {
        identity: 'pool03.contoso.com',
        site: 'Redmond',
        webHost: 'meet.contoso.com,meet2.contoso.com',
        sipDomain: 'contoso.com',
      },
      { identity: 'pool04.fabrikam.com', site: 'Dublin', webHost: 'meet.fabrikam.com' },
    ],
    meetings: [{ organizer: 'alice@contoso.com', subject: 'Quarterly planning', lobby: true }],
    dialInNumbers: [{ pool: 'pool03.contoso.com', region: 'US', number: '+14255550100' }],
    apiKeys: [{ pool: 'pool03.contoso.com', name: 'Outlook add-in' }],
  });
  return meetings[0] as SeededMeeting;
}

describe.each(ENGINES)('admin verbs on %s', (engine) => {
  beforeEach(async () => {
    at = await emptyLocation(engine);
  });
  afterEach(() => at.cleanup());

  describe('a place without a store', () => {
    it('is refused by every verb but init and help, with one line naming the place, and nothing is made', async () => {
      for (const spec of VERBS) {
        if (spec.verb === 'init' || spec.verb === 'help') continue;
        // backup, restore and version work on a place, not a store: admin-backup.test.ts.
        if (isOpsVerb(spec.verb)) continue;
        const argv: string[] = [spec.verb];
        for (const p of spec.params.filter((p) => p.required)) argv.push(`-${p.name}`, SAMPLE[p.type] ?? 'x');
        if (spec.oneOf) argv.push(`-${spec.oneOf[0]}`, spec.verb === 'set' ? 'true' : 'Redmond');
        await expect(run(...argv), spec.verb).rejects.toThrow(CliError);
        await expect(run(...argv), spec.verb).rejects.toThrow(
          `There is no store in ${at.where}: check ${engine === 'sqlite' ? 'DATA_DIR' : 'DATABASE_URL'}`,
        );
      }
      expect(fs.existsSync(at.location.dataDir)).toBe(false);
      expect(await storeContents(at.location)).toEqual({});
    });

    it('init makes an empty store: no sites, pools, meetings, numbers or demo documents', async () => {
      expect((await run('init'))[0]).toMatch(/^Created an empty store in /);
      expect(await json('topology')).toEqual({ sites: [] });
      expect(await json('meetings')).toEqual({ meetings: [] });
      expect(await json('dialin-numbers')).toEqual({ numbers: [] });
      expect(await json('api-keys')).toEqual({ keys: [] });
      expect(JSON.parse((await run('get'))[0] as string)).toEqual([]);
      await expect(run('init')).rejects.toThrow(/already holds a store; init changed nothing/);
    });
  });

  const SAMPLE: Record<string, string> = {
    identity: 'Site:Redmond',
    fqdn: 'pool03.contoso.com',
    site: 'Redmond',
    'host list': 'meet.contoso.com',
    'domain list': 'contoso.com',
    'sip address': 'alice@contoso.com',
    region: 'US',
    'phone number': '+14255550100',
    text: 'x',
    'whole number': '1',
  };

  describe('topology, meetings, dial-in and keys on a production store', () => {
    it('schedules a meeting with https links on the first web host and both IDs', async () => {
      const meeting = await productionStore();
      expect(meeting.guestLink).toBe(`https://meet.contoso.com/alice/${meeting.conferenceId}`);
      expect(meeting.organizerLink).toMatch(
        new RegExp(`^https://meet\\.contoso\\.com/alice/${meeting.conferenceId}#organizerKey=[\\w-]{22}$`),
      );
      expect(meeting.conferenceId).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
      expect(meeting.phoneConferenceId).toMatch(/^[1-9]\d{6}$/);
      expect((await json('topology')).sites).toEqual([
        {
          name: 'Dublin',
          pools: [{ fqdn: 'pool04.fabrikam.com', site: 'Dublin', webHosts: ['meet.fabrikam.com'], sipDomains: [] }],
        },
        {
          name: 'Redmond',
          pools: [
            {
              fqdn: 'pool03.contoso.com',
              site: 'Redmond',
              webHosts: ['meet.contoso.com', 'meet2.contoso.com'],
              sipDomains: ['contoso.com'],
            },
          ],
        },
      ]);
      const listed = (await json('meetings', '-Pool', 'pool03.contoso.com')).meetings;
      expect(listed).toMatchObject([
        {
          subject: 'Quarterly planning',
          lobby: true,
          guestLink: meeting.guestLink,
          phoneConferenceId: meeting.phoneConferenceId,
        },
      ]);
      expect((await json('dialin-numbers')).numbers).toEqual([
        { pool: 'pool03.contoso.com', region: 'US', number: '+14255550100', display: '+14255550100', tollFree: false },
      ]);
      expect((await json('api-keys')).keys).toMatchObject([
        { pool: 'pool03.contoso.com', name: 'Outlook add-in', lastUsedAt: null },
      ]);
    });

    it('prints the effective configuration of a pool and the document it came from', async () => {
      await productionStore();
      const effective = async (pool: string) =>
        JSON.parse((await run('get', '-Effective', '-Pool', pool))[0] as string);
      expect(await effective('pool03.contoso.com')).toMatchObject({
        Pool: 'pool03.contoso.com',
        Source: 'Global',
        MeetingUxEnableTelemetry: false,
      });
      await run('new', '-Identity', 'Site:Redmond', '-MeetingUxEnableTelemetry', 'true');
      expect(await effective('POOL03.contoso.com')).toMatchObject({
        Source: 'Site:Redmond',
        MeetingUxEnableTelemetry: true,
      });
    });

    it('removes in dependency order, and says what still depends on a pool or site', async () => {
      const meeting = await productionStore();
      await expect(run('remove-pool', '-Identity', 'pool03.contoso.com')).rejects.toThrow(
        'The pool pool03.contoso.com still has 1 meeting (remove-meeting), 1 dial-in number (remove-dialin-number), 1 API key (remove-api-key).',
      );
      await expect(run('remove-site', '-Identity', 'Redmond')).rejects.toThrow(/still used by pool pool03.contoso.com/);
      await run('remove-meeting', '-Identity', `alice@contoso.com/${meeting.conferenceId}`);
      await run('remove-dialin-number', '-Pool', 'pool03.contoso.com', '-Number', '+1 425 555 0100');
      await run('remove-api-key', '-Pool', 'pool03.contoso.com', '-Name', 'outlook ADD-IN');
      expect(await run('remove-pool', '-Identity', 'pool03.contoso.com')).toEqual(['Removed pool pool03.contoso.com']);
      expect(await run('remove-site', '-Identity', 'redmond')).toEqual(['Removed site Redmond']);
      expect((await json('topology')).sites.map((s: { name: string }) => s.name)).toEqual(['Dublin']);
      // The pool's web hosts went with it: another pool may take them now.
      await run('set-pool', '-Identity', 'pool04.fabrikam.com', '-WebHost', 'meet.fabrikam.com,meet.contoso.com');
    });

    it('picks the pool from the SIP domain, or needs -Pool when no pool hosts it', async () => {
      await productionStore();
      await expect(run('new-meeting', '-Organizer', 'carol@fabrikam.com', '-Subject', 'Sync')).rejects.toThrow(
        /No pool hosts the SIP domain fabrikam.com: name one with -Pool/,
      );
      const carol = await json(
        'new-meeting',
        '-Organizer',
        'sip:Carol@Fabrikam.com',
        '-Subject',
        'Sync',
        '-Pool',
        'pool04.fabrikam.com',
      );
      expect(carol.guestLink).toBe(`https://meet.fabrikam.com/carol/${carol.conferenceId}`);
    });

    it('refuses every bad input with one line and leaves the store as it was (bytes on SQLite, rows on PostgreSQL)', async () => {
      const meeting = await productionStore();
      const before = await storeState();
      const cases: [string[], RegExp][] = [
        [['new-site', '-Identity', 'redmond'], /site Redmond already exists/],
        [['new-site', '-Identity', 'Bad/Name'], /must be a site name/],
        [['new-site'], /new-site needs --Identity/],
        [['remove-site', '-Identity', 'Nowhere'], /no site named "Nowhere"/],
        [['remove-site', '-Identity', 'Redmond'], /still used by/],
        [
          ['new-pool', '-Identity', 'pool03.contoso.com', '-Site', 'Redmond', '-WebHost', 'x.contoso.com'],
          /already exists/,
        ],
        [
          ['new-pool', '-Identity', 'pool05.contoso.com', '-Site', 'Nowhere', '-WebHost', 'x.contoso.com'],
          /no site named/,
        ],
        [
          ['new-pool', '-Identity', 'pool05.contoso.com', '-Site', 'Redmond', '-WebHost', 'meet2.contoso.com'],
          /meet2.contoso.com already belongs to pool03.contoso.com/,
        ],
        [
          ['new-pool', '-Identity', 'pool05.contoso.com', '-Site', 'Redmond', '-WebHost', 'a.test,a.test'],
          /names a.test twice/,
        ],
        [
          ['new-pool', '-Identity', 'pool05.contoso.com', '-Site', 'Redmond', '-WebHost', 'bad host'],
          /"bad host" is not a valid host name/,
        ],
        [['new-pool', '-Identity', 'pool05', '-Site', 'Redmond', '-WebHost', 'x.test'], /fully qualified domain name/],
        [
          [
            'new-pool',
            '-Identity',
            'pool05.contoso.com',
            '-Site',
            'Redmond',
            '-WebHost',
            'x.test',
            '-SipDomain',
            'contoso.com',
          ],
          /SIP domain contoso.com is already hosted by pool03.contoso.com/,
        ],
        [['new-pool', '-Identity', 'pool05.contoso.com', '-Site', 'Redmond'], /new-pool needs --WebHost/],
        [['set-pool', '-Identity', 'pool03.contoso.com'], /needs at least one of -Site, -WebHost, -SipDomain/],
        [['set-pool', '-Identity', 'pool09.contoso.com', '-Site', 'Dublin'], /no pool named/],
        [['set-pool', '-Identity', 'pool04.fabrikam.com', '-WebHost', 'meet.contoso.com'], /already belongs to pool03/],
        [['set-pool', '-Identity', 'pool03.contoso.com', '-WebHost', ''], /needs at least one host name/],
        [['remove-pool', '-Identity', 'pool03.contoso.com'], /still has 1 meeting/],
        [['new-meeting', '-Organizer', 'alice', '-Subject', 'x'], /must be a SIP address/],
        [['new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', '  '], /-Subject is empty/],
        [['new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', 'x'.repeat(201)], /longer than 200/],
        [
          ['new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', 'x', '-Pool', 'pool04.fabrikam.com'],
          /hosted on pool03.contoso.com, not pool04.fabrikam.com/,
        ],
        [
          ['new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', 'x', '-Pool', 'pool09.contoso.com'],
          /no pool named/,
        ],
        [['new-meeting', '-Organizer', 'alice@contoso.com', '-Subjetc', 'x'], /Did you mean -Subject\?/],
        [['new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', 'x', '-Lobby:maybe'], /takes no value/],
        [['remove-meeting', '-Identity', 'alice/NOPE1234'], /no meeting "alice\/NOPE1234"/],
        [['remove-meeting', '-Identity', `alice@fabrikam.com/${meeting.conferenceId}`], /no meeting/],
        [
          ['new-dialin-number', '-Pool', 'pool03.contoso.com', '-Region', 'USA', '-Number', '+14255550111'],
          /two-letter country code/,
        ],
        [['new-dialin-number', '-Pool', 'pool03.contoso.com', '-Region', 'US', '-Number', '4255550111'], /E.164/],
        [
          ['new-dialin-number', '-Pool', 'pool04.fabrikam.com', '-Region', 'US', '-Number', '+14255550100'],
          /already a dial-in number of pool03.contoso.com/,
        ],
        [
          ['new-dialin-number', '-Pool', 'pool09.contoso.com', '-Region', 'US', '-Number', '+14255550111'],
          /no pool named/,
        ],
        [['remove-dialin-number', '-Pool', 'pool04.fabrikam.com', '-Number', '+14255550100'], /has no dial-in number/],
        [['new-api-key', '-Pool', 'pool03.contoso.com', '-Name', 'OUTLOOK add-in'], /already has an API key named/],
        [['new-api-key', '-Pool', 'pool03.contoso.com'], /needs --Name/],
        [['remove-api-key', '-Pool', 'pool03.contoso.com', '-Name', 'Teams bot'], /no API key named "Teams bot"/],
        [['get', '-Effective'], /needs -Pool/],
        [['get', '-Effective', '-Pool', 'pool09.contoso.com'], /no pool named/],
        [['topology', '-Pool', 'x.contoso.com'], /Unknown parameter -Pool for topology/],
        [['meetings', '-Pool', 'pool09.contoso.com'], /no pool named/],
        [['new-dialin-numbr'], /did you mean new-dialin-number\?/],
        [['init'], /already holds a store; init changed nothing/],
        [['set', '-Identity', 'Site:Nowhere', '-AllowAnonymousJoin', 'false'], /no site named "Nowhere"/],
        [['set', '-MeetingUxEnableTelemetri', 'true'], /Did you mean -MeetingUxEnableTelemetry\?/],
        [['set', '-MeetingUxEnableTelemetry', 'yes'], /takes true or false/],
        [['new', '-Identity', 'Global'], /Global always exists/],
        [['new', '-Identity', 'Service:WebServer:pool09.contoso.com'], /no pool named/],
        [['remove', '-Identity', 'Site:Dublin'], /no configuration document Site:Dublin/],
        [['purge', '-OlderThanDays', 'soon'], /whole number of days/],
        [['purge', '-Pool', 'pool09.contoso.com'], /no pool named/],
        [['report', '-Pool', 'pool09.contoso.com'], /no pool named/],
      ];
      for (const [argv, message] of cases) {
        let error: unknown;
        try {
          await run(...argv);
        } catch (caught) {
          error = caught;
        }
        expect(error, argv.join(' ')).toBeInstanceOf(Error);
        expect(
          error instanceof CliError || error instanceof CliUsageError || error instanceof IdentityError,
          argv.join(' '),
        ).toBe(true);
        expect((error as Error).message, argv.join(' ')).toMatch(message);
        expect((error as Error).message).not.toContain('\n');
        expect(await storeState(), argv.join(' ')).toEqual(before);
      }
      // -WhatIf says what would happen and writes nothing either.
      for (const argv of [
        ['new-site', '-Identity', 'Paris', '-WhatIf'],
        ['new-meeting', '-Organizer', 'bob@contoso.com', '-Subject', 'x', '-WhatIf'],
        ['remove-meeting', '-Identity', `alice/${meeting.conferenceId}`, '-WhatIf'],
        ['remove-api-key', '-Pool', 'pool03.contoso.com', '-Name', 'Outlook add-in', '-WhatIf'],
      ]) {
        expect((await run(...argv))[0]).toMatch(/^What if: would /);
        expect(await storeState(), argv.join(' ')).toEqual(before);
      }
    });

    it('shows a new API key once and stores only its hash', async () => {
      await seedTopology(at.location, {
        pools: [{ identity: 'pool03.contoso.com', site: 'Redmond', webHost: 'meet.contoso.com' }],
      });
      const { key } = await json('new-api-key', '-Pool', 'pool03.contoso.com', '-Name', 'Bot');
      expect(key).toMatch(/^mlk_[\w-]{43}$/);
      const stored =
        engine === 'sqlite'
          ? Buffer.concat(
              fs.readdirSync(at.location.dataDir).map((f) => fs.readFileSync(path.join(at.location.dataDir, f))),
            ).toString('latin1')
          : JSON.stringify(await storeContents(at.location));
      expect(stored.includes(key)).toBe(false);
      expect(stored.includes(createHash('sha256').update(key).digest('hex'))).toBe(true);
    });
  });

  describe('demo links', () => {
    it('use the port the demo server recorded, unless PORT is given', async () => {
      const store = await openStore(at.location);
      await seedDemoIfEmpty(store.sql);
      await recordDemoPort(store.sql, 43123);
      await store.close();
      const links = async () =>
        (
          JSON.parse((await runCommand(parseCommandLine(['meetings', '--json']), at.location))[0] as string)
            .meetings as {
            guestLink: string;
          }[]
        ).map((m) => m.guestLink);
      expect(await links()).toContain('http://localhost:43123/alice/7Q3DSSYV');
      const given = JSON.parse(
        (await runCommand(parseCommandLine(['meetings', '--json']), at.location, 9000))[0] as string,
      );
      expect(given.meetings[0].guestLink).toMatch(/^http:\/\/localhost:9000\//);
    });

    it('npm start never seeds a production store, even an empty one', async () => {
      await run('init');
      const store = await openStore(at.location);
      expect(await seedDemoIfEmpty(store.sql)).toBe(false);
      await store.close();
      expect(await json('topology')).toEqual({ sites: [] });
    });
  });
});

describe('help', () => {
  beforeEach(async () => {
    at = await emptyLocation('sqlite');
  });
  afterEach(() => at.cleanup());

  it('lists every verb and every parameter with its type and default', async () => {
    const text = (await run('help'))[0] as string;
    for (const spec of VERBS) {
      const one = (await run('help', spec.verb))[0] as string;
      // The full list holds each verb's own help.
      expect(text).toContain(
        one
          .split('\n')
          .slice(1, 2 + spec.params.length)
          .join('\n'),
      );
      for (const p of spec.params) {
        const line = one.split('\n').find((l) => l.trimStart().startsWith(`-${p.name} `));
        expect(line, `${spec.verb} -${p.name}`).toBeDefined();
        expect(line).toContain(p.type);
        expect(line).toContain(p.required ? 'required' : `default: ${p.default}`);
      }
    }
    for (const name of PARAMETER_NAMES)
      expect(text).toMatch(new RegExp(`-${name} +(bool|text|whole number) +default: `));
  });

  it('help <verb> shows one verb; an unknown one suggests the nearest', async () => {
    const text = (await run('help', 'New-Meeting'))[0] as string;
    expect(text).toMatch(/^Usage: npm run admin -- new-meeting -Organizer <sip address> -Subject <text> \[-Lobby\]/);
    expect(text).not.toContain('new-pool');
    await expect(run('help', 'meetngs')).rejects.toThrow(/did you mean meetings\?/);
  });
});
