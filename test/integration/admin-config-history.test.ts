/**
 * Issue 20, the admin side, on SQLite and on PostgreSQL: configuration writes say on stderr what
 * each pool now gets; `set -Identity *` writes every document in one transaction; every change is
 * kept in the configuration history (with its actor, an API's included) and never purged;
 * `what-is-collected` prints the schema's categories under each pool's switch; `report --Html`
 * writes 0600. Bad input: one clear error, and the store as it was.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliUsageError, parseCommandLine } from '../../src/server/admin/args';
import { CliError, type RunOptions, runCommandOutput } from '../../src/server/admin/commands';
import { seedDemoIfEmpty } from '../../src/server/seed';
import { openStore, type Store } from '../../src/server/sql/store';
import { adminWrite } from '../../src/server/store/admin-write';
import { configHistory } from '../../src/server/store/config-history';
import {
  effectiveConfigFor,
  IdentityError,
  listDocuments,
  parseIdentity,
  putDocument,
} from '../../src/server/store/config-store';
import { purgeInSlicesAsync } from '../../src/server/telemetry/purge';
import { purgeTelemetry } from '../../src/server/telemetry/retention';
import { findPool } from '../../src/server/topology';
import { PARAMETER_NAMES, PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { collectedCategories } from '../../src/shared/telemetry-collected';
import { ENGINES, type EngineLocation, emptyLocation, storeContents } from '../support/engines';

const POOL01 = 'Service:WebServer:pool01.contoso.com';
const T0 = Date.parse('2026-12-07T09:00:00.000Z');
const MINUTE = 60_000;

describe.each(ENGINES)(
  'configuration writes and history on %s',
  (engine) => {
    let at: EngineLocation;
    let store: Store;
    /** The time the next command runs at: each one a minute after the one before. */
    let now: number;

    beforeEach(async () => {
      at = await emptyLocation(engine);
      store = await openStore(at.location);
      await seedDemoIfEmpty(store.sql);
      now = T0;
    });
    afterEach(async () => {
      await store.close();
      await at.cleanup();
    });

    const run = async (argv: string[], options: RunOptions = {}) => {
      now += MINUTE;
      return runCommandOutput(parseCommandLine(argv), at.location, { now, actor: 'alice', ...options });
    };
    const out = async (...argv: string[]) => (await run(argv)).stdout;
    const notices = async (...argv: string[]) => (await run(argv)).notices;
    const telemetryOf = async (fqdn: string) => {
      const pool = (await findPool(store.sql, fqdn)) ?? expect.fail(`${fqdn} missing`);
      return effectiveConfigFor(store.sql, pool);
    };

    describe('every write says what each pool now gets', () => {
      it("the issue's story: the pool's own document keeps telemetry on, and the Global write says so", async () => {
        const created = await run(['new', '-Identity', POOL01, '-MeetingUxEnableTelemetry', '$True']);
        // stdout is the document, JSON only; the notice is apart.
        expect(JSON.parse(created.stdout.join('\n'))).toMatchObject({
          Identity: POOL01,
          MeetingUxEnableTelemetry: true,
        });
        expect(created.notices).toEqual([
          'pool02.fabrikam.com: MeetingUxEnableTelemetry stays False (from Global; Service:WebServer:pool01.contoso.com applies only to pool01.contoso.com)',
        ]);
        const off = await run(['Set-CsWebServiceConfiguration', '-MeetingUxEnableTelemetry', '$False']);
        expect(off.stdout).toEqual(['Set Global: no change']);
        expect(off.notices).toEqual([
          'pool01.contoso.com: MeetingUxEnableTelemetry stays True (from Service:WebServer:pool01.contoso.com, which overrides Global)',
        ]);
        expect((await telemetryOf('pool01.contoso.com')).MeetingUxEnableTelemetry).toBe(true);
      });

      it('-WhatIf says the same, as if written, and writes nothing (nor any history)', async () => {
        await out('new', '-Identity', POOL01, '-MeetingUxEnableTelemetry', 'true');
        const before = await storeContents(at.location);
        const whatIf = await run(['set', '-MeetingUxEnableTelemetry', 'false', '-DefaultLanguage', 'de-DE', '-WhatIf']);
        expect(whatIf.stdout).toEqual(['What if: would set Global: DefaultLanguage: "" -> "de-DE"']);
        expect(whatIf.notices).toEqual([
          'What if: pool01.contoso.com: MeetingUxEnableTelemetry would stay True (from Service:WebServer:pool01.contoso.com, which overrides Global)',
          'What if: pool01.contoso.com: DefaultLanguage would stay "" (from Service:WebServer:pool01.contoso.com, which overrides Global)',
        ]);
        expect(await notices('remove', '-Identity', POOL01, '-WhatIf')).toEqual([
          'What if: pool01.contoso.com: MeetingUxEnableTelemetry would then be False (from Global; now True from Service:WebServer:pool01.contoso.com, which would be removed)',
        ]);
        expect(await storeContents(at.location)).toEqual(before);
      });

      it('any parameter, and a site document that does not cover the pool', async () => {
        await out('new', '-Identity', 'Site:Dublin');
        expect(await notices('set', '-Identity', 'Site:Dublin', '-AllowAnonymousJoin', 'false')).toEqual([
          'pool01.contoso.com: AllowAnonymousJoin stays True (from Global; Site:Dublin applies only to the pools of site Dublin, and this pool is in site Redmond)',
        ]);
        expect(await notices('set', '-TelemetryMaxEventsPerDay', '5000', '-Identity', 'Site:Dublin')).toEqual([
          'pool01.contoso.com: TelemetryMaxEventsPerDay stays 1000000 (from Global; Site:Dublin applies only to the pools of site Dublin, and this pool is in site Redmond)',
        ]);
        expect(await notices('set', '-Identity', 'Global', '-AllowAnonymousJoin', 'true')).toEqual([
          'pool02.fabrikam.com: AllowAnonymousJoin stays False (from Site:Dublin, which overrides Global)',
        ]);
      });

      it('a new document that takes a pool over says what its product defaults change', async () => {
        await out('set', '-MeetingUxEnableTelemetry', 'true');
        expect(await notices('new', '-Identity', 'Site:Redmond', '-AutoLaunchDesktopClient', 'false')).toEqual([
          'pool01.contoso.com: MeetingUxEnableTelemetry now False (from Site:Redmond, a new document, which starts from product defaults; was True from Global)',
          'pool02.fabrikam.com: AutoLaunchDesktopClient stays True (from Global; Site:Redmond applies only to the pools of site Redmond, and this pool is in site Dublin)',
        ]);
      });

      it('remove says what each pool the document governed now gets, and from where', async () => {
        await out('new', '-Identity', 'Site:Redmond', '-MeetingUxEnableTelemetry', 'true');
        await out('new', '-Identity', POOL01, '-MeetingUxEnableTelemetry', 'true');
        expect(await notices('remove', '-Identity', POOL01)).toEqual([
          'pool01.contoso.com: MeetingUxEnableTelemetry still True (from Site:Redmond; was from Service:WebServer:pool01.contoso.com, now removed)',
        ]);
        expect(await notices('remove', '-Identity', 'site:redmond')).toEqual([
          'pool01.contoso.com: MeetingUxEnableTelemetry now False (from Global; was True from Site:Redmond, now removed)',
        ]);
        // Global is reset: the pools it governs say what they now get; a pool with its own document
        // that keeps another value says so too.
        await out('set', '-MeetingUxEnableTelemetry', 'true', '-DefaultLanguage', 'fr-FR');
        await out('new', '-Identity', 'Site:Dublin', '-MeetingUxEnableTelemetry', 'true');
        expect(await notices('remove', '-Identity', 'Global')).toEqual([
          'pool01.contoso.com: MeetingUxEnableTelemetry now False (from Global, reset to product defaults; was True)',
          'pool01.contoso.com: DefaultLanguage now "" (from Global, reset to product defaults; was "fr-FR")',
          'pool02.fabrikam.com: MeetingUxEnableTelemetry stays True (from Site:Dublin, which overrides Global)',
        ]);
        await out('remove', '-Identity', 'Site:Dublin');
        expect(await notices('remove', '-Identity', 'Global')).toEqual([
          'pool01.contoso.com: MeetingUxEnableTelemetry still False (from Global, reset to product defaults)',
          'pool02.fabrikam.com: MeetingUxEnableTelemetry still False (from Global, reset to product defaults)',
        ]);
      });
    });

    describe("set -Identity '*'", () => {
      beforeEach(async () => {
        await out('set', '-MeetingUxEnableTelemetry', 'true');
        await out('new', '-Identity', 'Site:Dublin', '-MeetingUxEnableTelemetry', 'true');
        await out('new', '-Identity', POOL01, '-MeetingUxEnableTelemetry', 'true', '-DefaultLanguage', 'de-DE');
      });

      it('writes every stored document in one command, and every pool then gets it', async () => {
        const result = await run(['set', '-Identity', '*', '-MeetingUxEnableTelemetry', 'false']);
        expect(result.stdout).toEqual([
          'Set Global: MeetingUxEnableTelemetry: true -> false',
          'Set Site:Dublin: MeetingUxEnableTelemetry: true -> false',
          'Set Service:WebServer:pool01.contoso.com: MeetingUxEnableTelemetry: true -> false',
        ]);
        expect(result.notices).toEqual([]);
        expect((await listDocuments(store.sql)).map((d) => [d.Identity, d.MeetingUxEnableTelemetry])).toEqual([
          ['Global', false],
          ['Site:Dublin', false],
          [POOL01, false],
        ]);
        // Only what was given changes.
        expect((await telemetryOf('pool01.contoso.com')).DefaultLanguage).toBe('de-DE');
        const history = await configHistory(store.sql, { since: now });
        expect(history.map((c) => [c.identity, c.old, c.new])).toEqual([
          ['Global', true, false],
          ['Site:Dublin', true, false],
          [POOL01, true, false],
        ]);
      });

      it('through the cmdlet name and the -Identity:* spelling; a second run changes nothing', async () => {
        await out('Set-CsWebServiceConfiguration', '-Identity:*', '-MeetingUxEnableTelemetry', '$False');
        expect(await out('SET', '--identity=*', '--meetinguxenabletelemetry', 'false')).toEqual([
          'Set Global: no change',
          'Set Site:Dublin: no change',
          'Set Service:WebServer:pool01.contoso.com: no change',
        ]);
        expect((await telemetryOf('pool02.fabrikam.com')).MeetingUxEnableTelemetry).toBe(false);
      });

      it("get -Identity '*' lists every document, as get does", async () => {
        expect(await out('get', '-Identity', '*')).toEqual(await out('get'));
      });

      it('-WhatIf shows each document and writes nothing', async () => {
        const before = await storeContents(at.location);
        expect(await out('set', '-Identity', '*', '-MeetingUxEnableTelemetry', 'false', '-WhatIf')).toEqual([
          'What if: would set Global: MeetingUxEnableTelemetry: true -> false',
          'What if: would set Site:Dublin: MeetingUxEnableTelemetry: true -> false',
          'What if: would set Service:WebServer:pool01.contoso.com: MeetingUxEnableTelemetry: true -> false',
        ]);
        expect(await storeContents(at.location)).toEqual(before);
      });

      it('is one transaction: a document that cannot be written leaves every one as it was', async () => {
        // The last document's write fails inside the store, after Global and Site:Dublin were written.
        await store.sql.exec(
          engine === 'sqlite'
            ? `CREATE TRIGGER refuse_pool01 BEFORE UPDATE ON config_documents WHEN NEW.identity = '${POOL01}'
             BEGIN SELECT RAISE(ABORT, 'refused by test'); END;`
            : `CREATE FUNCTION refuse_pool01() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$;
             CREATE TRIGGER refuse_pool01 BEFORE UPDATE ON config_documents FOR EACH ROW
               WHEN (NEW.identity = '${POOL01}') EXECUTE FUNCTION refuse_pool01();`,
        );
        const before = await storeContents(at.location);
        await expect(run(['set', '-Identity', '*', '-MeetingUxEnableTelemetry', 'false'])).rejects.toThrow(
          /refused by test/,
        );
        expect(await storeContents(at.location)).toEqual(before);
      });

      it('refuses new/remove -Identity *, other wildcards and bad parameters with one line; the store is as it was', async () => {
        const before = await storeContents(at.location);
        for (const [argv, message] of [
          [['new', '-Identity', '*', '-MeetingUxEnableTelemetry', 'false'], /new cannot take -Identity \*/],
          [['remove', '-Identity', '*'], /remove does not take -Identity \*/],
          [['Remove-CsWebServiceConfiguration', '-Identity:*'], /remove does not take -Identity \*/],
          [['set', '-Identity', 'Site:*', '-MeetingUxEnableTelemetry', 'false'], /the only wildcard is \* on its own/],
          [['set', '-Identity', 'foo*', '-MeetingUxEnableTelemetry', 'false'], /the only wildcard is \* on its own/],
          [['set', '-Identity', '*', '-MeetingUxEnableTelemetri', 'false'], /Did you mean -MeetingUxEnableTelemetry\?/],
          [['set', '-Identity', '*', '-MeetingUxEnableTelemetry', 'off'], /takes true or false/],
          [['config-history', '-Identity', '*'], /leave -Identity out for every document/],
        ] as [string[], RegExp][]) {
          await expect(run(argv), argv.join(' ')).rejects.toThrow(CliUsageError);
          await expect(run(argv), argv.join(' ')).rejects.toThrow(message);
        }
        expect(await storeContents(at.location)).toEqual(before);
      });
    });

    describe('config-history', () => {
      const history = async (...argv: string[]) =>
        JSON.parse((await out('config-history', ...argv, '--Json'))[0] as string);

      it('records new (old null), set, remove (new null) and the Global reset, oldest first; no-ops record nothing', async () => {
        await out('new', '-Identity', 'Site:Dublin', '-MeetingUxEnableTelemetry', 'true'); // T0 + 1 min
        await out('set', '-Identity', 'site:dublin', '-MeetingUxEnableTelemetry', 'true'); // no-op
        await out('set', '-MeetingUxEnableTelemetry', 'true'); // T0 + 3 min
        await out('set', '-MeetingUxEnableTelemetry', 'true', '-WhatIf'); // nothing written
        await run(['remove', '-Identity', 'Site:Dublin'], { actor: 'bob' }); // T0 + 5 min
        await out('remove', '-Identity', 'Global'); // T0 + 6 min
        await out('remove', '-Identity', 'Global'); // no-op
        const all = await history();
        const time = (minutes: number) => new Date(T0 + minutes * MINUTE).toISOString();
        const created = PARAMETER_NAMES.map((parameter) => ({
          at: time(1),
          actor: 'alice',
          identity: 'Site:Dublin',
          parameter,
          old: null,
          new: parameter === 'MeetingUxEnableTelemetry' ? true : PRODUCT_DEFAULTS[parameter],
        }));
        const removed = created.map((change) => ({ ...change, at: time(5), actor: 'bob', old: change.new, new: null }));
        const telemetry = { identity: 'Global', parameter: 'MeetingUxEnableTelemetry' };
        expect(all).toEqual([
          ...created,
          { at: time(3), actor: 'alice', ...telemetry, old: false, new: true },
          ...removed,
          { at: time(6), actor: 'alice', ...telemetry, old: true, new: false },
        ]);
      });

      it('filters by identity (any case, even once removed), parameter and since', async () => {
        await out('new-pool', '-Identity', 'pool03.contoso.com', '-Site', 'Redmond', '-WebHost', 'meet3.contoso.test');
        await out('new', '-Identity', 'Service:WebServer:pool03.contoso.com', '-DefaultLanguage', 'de-DE'); // +2
        await out('set', '-DefaultLanguage', 'fr-FR'); // +3
        await out('set', '-MeetingUxEnableTelemetry', 'true'); // +4
        await out('remove', '-Identity', 'Service:WebServer:pool03.contoso.com'); // +5
        await out('remove-pool', '-Identity', 'pool03.contoso.com');
        const gone = await history(
          '-Identity',
          'SERVICE:WEBSERVER:POOL03.CONTOSO.COM',
          '-Parameter',
          'defaultlanguage',
        );
        expect(gone.map((c: { old: unknown; new: unknown }) => [c.old, c.new])).toEqual([
          [null, 'de-DE'],
          ['de-DE', null],
        ]);
        expect(gone[0].identity).toBe('Service:WebServer:pool03.contoso.com');
        const sinceDay = await history('-Identity', 'global', '-Since', '2026-12-07');
        expect(sinceDay.map((c: { parameter: string }) => c.parameter)).toEqual([
          'DefaultLanguage',
          'MeetingUxEnableTelemetry',
        ]);
        // 09:04Z is the fourth command: the bounds are inclusive; other zones are the same instant.
        expect(await history('-Since', '2026-12-07T09:04Z')).toHaveLength(1 + PARAMETER_NAMES.length);
        expect(await history('-Since', '2026-12-07T10:04:00+01:00')).toEqual(
          await history('-Since', '2026-12-07T09:04Z'),
        );
        expect(await history('-Since', '2026-12-08')).toEqual([]);
        expect(await out('config-history', '-Since', '2026-12-08')).toEqual([
          'No configuration change recorded (for this filter).',
        ]);
      });

      it('prints an aligned table', async () => {
        await out('set', '-DefaultLanguage', 'de-DE');
        await run(['set', '-MeetingUxEnableTelemetry', 'true'], { actor: 'a-much-longer-admin-name' });
        const lines = await out('config-history');
        expect(lines).toHaveLength(4);
        const columns = ['at', 'actor', 'identity', 'parameter', 'old', 'new'];
        const starts = columns.map((name) => (lines[0] as string).indexOf(name === 'at' ? 'at ' : name));
        expect(starts[0]).toBe(0);
        const actorWidth = 'a-much-longer-admin-name'.length;
        expect(lines[2]).toBe(
          [
            '2026-12-07T09:01:00.000Z',
            'alice'.padEnd(actorWidth),
            'Global  ',
            'DefaultLanguage'.padEnd('MeetingUxEnableTelemetry'.length),
            '""   ',
            '"de-DE"',
          ].join('  '),
        );
        expect(lines[3]).toMatch(
          /^2026-12-07T09:02:00\.000Z {2}a-much-longer-admin-name {2}Global {4}MeetingUxEnableTelemetry {2}False {2}True$/,
        );
        for (const line of lines.slice(2))
          for (const start of starts.slice(1)) expect(line[start - 1], `${line} @ ${start}`).toBe(' ');
      });

      it('names the OS user when no actor is handed in', async () => {
        await runCommandOutput(parseCommandLine(['set', '-AllowAnonymousJoin', 'false']), at.location, { now });
        expect((await history())[0]?.actor).toBe(os.userInfo().username);
      });

      it('takes the actor an API passes, in the API write’s own transaction (rolled back with it)', async () => {
        const by = { actor: 'api-key:Outlook add-in', at: T0 };
        await adminWrite(store, async (tx) => {
          await putDocument(
            tx,
            await parseIdentity(tx, POOL01),
            { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true },
            by,
          );
        });
        const before = await storeContents(at.location);
        await expect(
          adminWrite(store, async (tx) => {
            await putDocument(tx, { kind: 'global' }, { ...PRODUCT_DEFAULTS, DefaultLanguage: 'de-DE' }, by);
            throw new Error('the API request failed later');
          }),
        ).rejects.toThrow('the API request failed later');
        expect(await storeContents(at.location)).toEqual(before);
        const changes = await configHistory(store.sql);
        expect(changes).toHaveLength(PARAMETER_NAMES.length);
        expect(new Set(changes.map((c) => c.actor))).toEqual(new Set(['api-key:Outlook add-in']));
        expect(changes.find((c) => c.parameter === 'MeetingUxEnableTelemetry')).toEqual({
          at: '2026-12-07T09:00:00.000Z',
          actor: 'api-key:Outlook add-in',
          identity: POOL01,
          parameter: 'MeetingUxEnableTelemetry',
          old: null,
          new: true,
        });
      });

      it('is never purged: not by purge, not by the server retention', async () => {
        await out('set', '-MeetingUxEnableTelemetry', 'true');
        const kept = await history();
        expect(kept).toHaveLength(1);
        const years = 20 * 365 * 24 * 60 * MINUTE;
        expect((await out('purge', '-OlderThanDays', '0'))[0]).toMatch(/^Deleted 0 telemetry events/);
        await purgeTelemetry(store, 1, now + years);
        await purgeInSlicesAsync(store, 1, now + years);
        expect(await history()).toEqual(kept);
      });

      it('refuses a bad -Since, an unknown -Parameter or -Identity with one line', async () => {
        for (const [argv, type, message] of [
          [['-Since', '2026-13-01'], CliUsageError, /-Since must be a date \(YYYY-MM-DD, UTC\)/],
          [['-Since', '2026-02-30'], CliUsageError, /not "2026-02-30"/],
          [['-Since', '2026-12-07T09:30'], CliUsageError, /with its zone/],
          [['-Since', 'yesterday'], CliUsageError, /not "yesterday"/],
          [
            ['-Parameter', 'MeetingUxEnableTelemetri'],
            CliUsageError,
            /no parameter "MeetingUxEnableTelemetri"\. Did you mean MeetingUxEnableTelemetry\?/,
          ],
          [
            ['-Identity', 'Site:Nowhere'],
            IdentityError,
            /no site named "Nowhere", and no change to a document "Site:Nowhere" was ever recorded/,
          ],
          [['-Identity', 'pool01'], IdentityError, /is not valid: use Global, Site:<site name>/],
        ] as [string[], new (...args: never[]) => Error, RegExp][]) {
          await expect(run(['config-history', ...argv]), argv.join(' ')).rejects.toThrow(type);
          await expect(run(['config-history', ...argv]), argv.join(' ')).rejects.toThrow(message);
        }
      });
    });

    describe('what-is-collected', () => {
      it("prints the schema's categories under each pool's switch and the document deciding it", async () => {
        await out('new', '-Identity', POOL01, '-MeetingUxEnableTelemetry', 'true');
        const all = JSON.parse((await out('what-is-collected', '--Json'))[0] as string);
        expect(all.pools).toEqual([
          { pool: 'pool01.contoso.com', MeetingUxEnableTelemetry: true, source: POOL01 },
          { pool: 'pool02.fabrikam.com', MeetingUxEnableTelemetry: false, source: 'Global' },
        ]);
        expect(all.whenOff).toMatch(/is False, its pages send nothing/);
        // The very categories and fields of the shared schema, nothing written twice.
        expect(
          all.categories.map((c: { category: string; fields: { name: string; treatment: string }[] }) => ({
            category: c.category,
            fields: c.fields.map(({ name, treatment }) => ({ name, treatment })),
          })),
        ).toEqual(collectedCategories().map(({ category, fields }) => ({ category, fields })));

        const one = await out('what-is-collected', '-Pool', 'POOL02.fabrikam.com');
        expect(one[0]).toBe(
          'pool02.fabrikam.com: MeetingUxEnableTelemetry False (from Global): its pages send nothing',
        );
        expect(one).toContain(
          "When a pool's MeetingUxEnableTelemetry is False, its pages send nothing: no telemetry request at all, no telemetry code loaded, nothing kept on the device for telemetry.",
        );
        for (const entry of collectedCategories()) {
          expect(one).toContain(`  ${entry.category} (event types: ${entry.eventTypes.join(', ')})`);
          for (const field of entry.fields) expect(one.some((l) => l.startsWith(`    ${field.name} `))).toBe(true);
        }
        expect((await out('what-is-collected'))[0]).toBe(
          'pool01.contoso.com: MeetingUxEnableTelemetry True (from Service:WebServer:pool01.contoso.com): its pages send what is listed below',
        );
      });

      it('refuses an unknown pool with one line', async () => {
        await expect(run(['what-is-collected', '-Pool', 'pool09.contoso.com'])).rejects.toThrow(CliError);
        await expect(run(['what-is-collected', '-Pool', 'pool09.contoso.com'])).rejects.toThrow(
          'There is no pool named "pool09.contoso.com".',
        );
        await expect(run(['what-is-collected', '-Pool', 'not a pool'])).rejects.toThrow(CliUsageError);
      });
    });

    describe('report --Html', () => {
      it('writes its file 0600, also over an existing file with wider bits', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-html-'));
        try {
          const fresh = path.join(dir, 'fresh.html');
          const old = path.join(dir, 'old.html');
          fs.writeFileSync(old, 'old report', { mode: 0o666 });
          fs.chmodSync(old, 0o666);
          const mask = process.umask(0);
          try {
            await out('report', '--Days', '1', '--Utc', '--Html', fresh);
            await out('report', '--Days', '1', '--Utc', '--Html', old);
          } finally {
            process.umask(mask);
          }
          for (const file of [fresh, old]) {
            expect(fs.statSync(file).mode & 0o777, file).toBe(0o600);
            expect(fs.readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/i);
          }
          expect(fs.readdirSync(dir).sort()).toEqual(['fresh.html', 'old.html']);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    });
    // Each case runs several CLI commands, each opening the store: room on a busy 2-core machine.
  },
  30_000,
);

describe('help', () => {
  const help = async (...argv: string[]) =>
    (await runCommandOutput(parseCommandLine(argv), { dataDir: '/nonexistent' })).stdout.join('\n');

  it('covers the new verbs, -Identity * and the stderr notices', async () => {
    const all = await help('help');
    expect(all).toMatch(
      /^ {2}config-history \[-Identity <identity>\] \[-Parameter <text>\] \[-Since <text>\] \[-Json\]$/m,
    );
    expect(all).toMatch(/^ {2}what-is-collected \[-Pool <fqdn>\] \[-Json\]$/m);
    expect(all).toContain('stderr has one line per pool that does not get what was written');
    expect(await help('help', 'set')).toContain(
      "or '*' (quoted) for every stored document at once, in one transaction",
    );
    expect(await help('help', 'config-history')).toContain('ISO time with zone, e.g. 2026-12-07T09:30Z');
    expect(await help('help', 'what-is-collected')).toMatch(/^Usage: npm run admin -- what-is-collected/);
  });
});

describe('the admin CLI as a process', () => {
  let at: EngineLocation;
  beforeEach(async () => {
    at = await emptyLocation('sqlite');
    const store = await openStore(at.location);
    await seedDemoIfEmpty(store.sql);
    await store.close();
  });
  afterEach(() => at.cleanup());

  it('prints the notices on stderr, JSON alone on stdout, and exits 0', async () => {
    const tsx = path.resolve('node_modules/.bin/tsx');
    const { stdout, stderr } = await promisify(execFile)(
      tsx,
      ['src/server/admin/cli.ts', 'new', '-Identity', POOL01, '-MeetingUxEnableTelemetry', 'true'],
      { env: { ...process.env, DATA_DIR: at.location.dataDir } },
    );
    expect(JSON.parse(stdout)).toMatchObject({ Identity: POOL01, MeetingUxEnableTelemetry: true });
    expect(stderr.trim().split('\n')).toEqual([
      'pool02.fabrikam.com: MeetingUxEnableTelemetry stays False (from Global; Service:WebServer:pool01.contoso.com applies only to pool01.contoso.com)',
    ]);
  }, 20_000);
});
