import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliUsageError, parseCommandLine } from '../../src/server/admin/args';
import { CliError, runCommand } from '../../src/server/admin/commands';
import { listDocuments } from '../../src/server/store/config-store';
import { type TempStore, tempStore } from '../support/temp-store';

describe('parseCommandLine', () => {
  it('accepts the verbs, cmdlet names and every option spelling an admin may use', () => {
    const expected = {
      verb: 'set',
      changes: { MeetingUxEnableTelemetry: true },
      whatIf: false,
      json: false,
      options: {},
    };
    expect(parseCommandLine(['set', '--MeetingUxEnableTelemetry', 'true'])).toEqual(expected);
    expect(parseCommandLine(['Set-CsWebServiceConfiguration', '-MeetingUxEnableTelemetry', '$True'])).toEqual(expected);
    expect(parseCommandLine(['SET-CSWEBSERVICECONFIGURATION', '-meetinguxenabletelemetry:$true'])).toEqual(expected);
    expect(parseCommandLine(['set', '--meetingUxEnableTelemetry=TRUE'])).toEqual(expected);
  });

  it('reads Identity, WhatIf, Pool and Json', () => {
    expect(
      parseCommandLine(['new', '-Identity', 'Site:Redmond', '-WhatIf', '-AutoLaunchDesktopClient', 'false']),
    ).toEqual({
      verb: 'new',
      identity: 'Site:Redmond',
      changes: { AutoLaunchDesktopClient: false },
      whatIf: true,
      json: false,
      options: {},
    });
    expect(parseCommandLine(['report', '--pool', 'pool01.contoso.com', '--JSON'])).toMatchObject({
      verb: 'report',
      pool: 'pool01.contoso.com',
      json: true,
    });
  });

  it.each([
    [[], /No verb/],
    [['frobnicate'], /Unknown verb "frobnicate"/],
    [['set'], /at least one parameter/],
    [['set', '--Nope', 'x'], /Unknown parameter -Nope/],
    [['set', '--MeetingUxEnableTelemetry'], /needs a value/],
    [['set', '--MeetingUxEnableTelemetry', '--WhatIf'], /needs a value/],
    [['set', '--MeetingUxEnableTelemetry', 'yes'], /MeetingUxEnableTelemetry takes true or false/],
    [['set', '--MeetingUxEnableTelemetry', 'true', '--meetinguxenabletelemetry', 'false'], /more than once/],
    [['set', 'MeetingUxEnableTelemetry', 'true'], /Unexpected argument/],
    [['get', '--MeetingUxEnableTelemetry', 'true'], /get does not take -MeetingUxEnableTelemetry/],
    [['new', '--MeetingUxEnableTelemetry', 'true'], /new needs --Identity/],
    [['remove'], /remove needs --Identity/],
    [['set', '--WhatIf:maybe', '--AllowAnonymousJoin', 'false'], /WhatIf takes no value/],
  ])('refuses %j with one clear line', (argv, message) => {
    expect(() => parseCommandLine(argv as string[])).toThrow(CliUsageError);
    expect(() => parseCommandLine(argv as string[])).toThrow(message);
  });
});

describe('runCommand', () => {
  let store: TempStore;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(() => store.cleanup());

  const run = async (...argv: string[]) => runCommand(parseCommandLine(argv), { dataDir: store.dataDir }, 8080);
  const documents = () => listDocuments(store.sql);

  it('sets Global when no Identity is given and says what changed', async () => {
    expect(await run('set', '--MeetingUxEnableTelemetry', 'true')).toEqual([
      'Set Global: MeetingUxEnableTelemetry: false -> true',
    ]);
    expect((await documents())[0]?.MeetingUxEnableTelemetry).toBe(true);
  });

  it('creates a service document from product defaults, not from Global', async () => {
    await run('set', '--DefaultLanguage', 'de-DE');
    await run('new', '--Identity', 'Service:WebServer:pool02.fabrikam.com', '--MeetingUxEnableTelemetry', '$true');
    expect(await documents()).toMatchObject([
      { Identity: 'Global', DefaultLanguage: 'de-DE' },
      { Identity: 'Service:WebServer:pool02.fabrikam.com', MeetingUxEnableTelemetry: true, DefaultLanguage: '' },
    ]);
  });

  it('writes nothing with WhatIf', async () => {
    const before = await documents();
    expect((await run('set', '--MeetingUxEnableTelemetry', 'true', '--WhatIf'))[0]).toMatch(
      /^What if: would set Global/,
    );
    expect((await run('new', '--Identity', 'Site:Dublin', '--WhatIf'))[0]).toMatch(
      /^What if: would create Site:Dublin/,
    );
    expect((await run('remove', '--Identity', 'Global', '--WhatIf'))[0]).toMatch(/^What if/);
    expect(await documents()).toEqual(before);
  });

  it.each([
    [['set', '--Identity', 'Site:Redmond', '--AllowAnonymousJoin', 'false'], /no configuration document Site:Redmond/],
    [['new', '--Identity', 'Global'], /Global always exists/],
    [['remove', '--Identity', 'Site:Dublin'], /no configuration document Site:Dublin/],
    [['get', '--Identity', 'Site:Dublin'], /no configuration document Site:Dublin/],
    [['report', '--Pool', 'pool99.contoso.com'], /no pool named/],
  ])('refuses %j and leaves the store exactly as it was', async (argv, message) => {
    const before = await documents();
    await expect(run(...(argv as string[]))).rejects.toThrow(CliError);
    await expect(run(...(argv as string[]))).rejects.toThrow(message);
    expect(await documents()).toEqual(before);
  });

  it('refuses a second new of the same document', async () => {
    await run('new', '--Identity', 'Site:Dublin');
    await expect(run('new', '--Identity', 'site:dublin')).rejects.toThrow(/already exists/);
  });

  it('prints the promised report shape', async () => {
    const report = JSON.parse((await run('report', '--json'))[0] as string);
    expect(report.pools.map((p: { pool: string }) => p.pool)).toEqual(['pool01.contoso.com', 'pool02.fabrikam.com']);
    // The promised fields; the report may carry more.
    for (const key of [
      'pool',
      'joinAttempts',
      'joinSuccesses',
      'meetingMinutes',
      'imSent',
      'imReceived',
      'errorReports',
      'devices',
    ]) {
      expect(report.pools[0]).toHaveProperty(key);
    }
  });
});

describe('the admin CLI as a process', () => {
  let store: TempStore;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(() => store.cleanup());

  const exec = promisify(execFile);
  const tsx = path.resolve('node_modules/.bin/tsx');

  it('exits non-zero with one line on stderr for a bad value, and the database file is unchanged', async () => {
    const file = fs.readdirSync(store.dataDir).find((f) => f.endsWith('.sqlite')) as string;
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = fs.readFileSync(path.join(store.dataDir, file));
    const failure = await exec(tsx, ['src/server/admin/cli.ts', 'set', '-MeetingUxEnableTelemetry', 'maybe'], {
      env: { ...process.env, DATA_DIR: store.dataDir },
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in failure && failure.code).toBe(2);
    expect((failure as { stderr: string }).stderr.trim().split('\n')).toEqual([
      'admin: MeetingUxEnableTelemetry takes true or false ($true or $false), not "maybe"',
    ]);
    expect(fs.readFileSync(path.join(store.dataDir, file)).equals(before)).toBe(true);
  }, 20_000);
});
