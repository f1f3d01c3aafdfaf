import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  effectiveConfigFor,
  getDocument,
  listDocuments,
  parseIdentity,
  putDocument,
  removeDocument,
} from '../../src/server/store/config-store';
import { findPool } from '../../src/server/topology';
import { PRODUCT_DEFAULTS as PAGE_DEFAULTS } from '../../src/shared/config-page';
import { PRODUCT_DEFAULTS, parseParameterValue, readEffectiveConfig } from '../../src/shared/config-schema';
import { type TempStore, tempStore } from './helpers';

describe('readEffectiveConfig (the page, fail closed)', () => {
  it.each([
    ['missing', undefined],
    ['null', null],
    ['an array', [true]],
    ['a string', 'true'],
    ['the string "true"', { MeetingUxEnableTelemetry: 'true' }],
    ['the number 1', { MeetingUxEnableTelemetry: 1 }],
    ['an object', { MeetingUxEnableTelemetry: { value: true } }],
  ])('keeps telemetry off for %s', (_name, input) => {
    expect(readEffectiveConfig(input).MeetingUxEnableTelemetry).toBe(false);
  });

  it('turns telemetry on only for JSON true', () => {
    expect(readEffectiveConfig(JSON.parse('{"MeetingUxEnableTelemetry":true}')).MeetingUxEnableTelemetry).toBe(true);
  });

  it('ignores unknown fields and replaces each invalid field by its default', () => {
    const config = readEffectiveConfig({
      Unknown: 1,
      DownloadUrl: 'javascript:alert(1)',
      AutoLaunchDesktopClient: false,
    });
    expect(config).toEqual({ ...PAGE_DEFAULTS, AutoLaunchDesktopClient: false });
    expect(config).not.toHaveProperty('Unknown');
  });
});

describe('parseParameterValue (the CLI, strict)', () => {
  it.each(['true', 'TRUE', '$true', '$True'])('reads %s as true', (raw) => {
    expect(parseParameterValue('MeetingUxEnableTelemetry', raw)).toEqual({ ok: true, value: true });
  });
  it.each(['false', '$False'])('reads %s as false', (raw) => {
    expect(parseParameterValue('MeetingUxEnableTelemetry', raw)).toEqual({ ok: true, value: false });
  });
  it.each([
    ['MeetingUxEnableTelemetry', 'yes'],
    ['MeetingUxEnableTelemetry', '1'],
    ['MeetingUxEnableTelemetry', ''],
    ['DownloadUrl', 'http://example.com'],
    ['DownloadUrl', 'javascript:alert(1)'],
    ['DefaultLanguage', 'xx-YY'],
    ['TelemetryEndpoint', 'ftp://x'],
    ['HstsMaxAgeInSeconds', '-1'],
    ['HstsMaxAgeInSeconds', '1.5'],
    ['IceServers', 'https://turn.contoso.test'],
    ['IceServers', 'turn:turn.contoso.test?password=x'],
  ] as const)('refuses %s = %s with a message naming the parameter', (name, raw) => {
    const result = parseParameterValue(name, raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(name);
  });
});

it('takes STUN and TURN URLs for IceServers', () => {
  const list = 'stun:stun.contoso.test:3478, turns:turn.contoso.test:443?transport=tcp';
  expect(parseParameterValue('IceServers', list)).toEqual({ ok: true, value: list });
});

describe('config store', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  const pool01 = () => findPool(store.db, 'pool01.contoso.com') ?? expect.fail('pool01 missing');

  it('starts with only Global, at product defaults', () => {
    expect(listDocuments(store.db)).toEqual([{ Identity: 'Global', ...PRODUCT_DEFAULTS }]);
    expect(effectiveConfigFor(store.db, pool01()).MeetingUxEnableTelemetry).toBe(false);
  });

  it('prefers the service document, then the site, then Global, whole documents', () => {
    const { db } = store;
    putDocument(
      db,
      { kind: 'global' },
      { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true, DefaultLanguage: 'fr-FR' },
    );
    expect(effectiveConfigFor(db, pool01())).toMatchObject({ Identity: 'Global', MeetingUxEnableTelemetry: true });

    putDocument(db, parseIdentity(db, 'site:redmond'), { ...PRODUCT_DEFAULTS, AutoLaunchDesktopClient: false });
    const site = effectiveConfigFor(db, pool01());
    // Whole-document override: the site's document does not inherit Global's values.
    expect(site).toMatchObject({ Identity: 'Site:Redmond', MeetingUxEnableTelemetry: false, DefaultLanguage: '' });

    putDocument(db, parseIdentity(db, 'Service:WebServer:POOL01.contoso.com'), {
      ...PRODUCT_DEFAULTS,
      MeetingUxEnableTelemetry: true,
    });
    expect(effectiveConfigFor(db, pool01())).toMatchObject({
      Identity: 'Service:WebServer:pool01.contoso.com',
      MeetingUxEnableTelemetry: true,
      AutoLaunchDesktopClient: true,
    });
    // Another pool in another site still sees Global.
    const pool02 = findPool(db, 'pool02.fabrikam.com') ?? expect.fail('pool02 missing');
    expect(effectiveConfigFor(db, pool02).Identity).toBe('Global');
  });

  it('resets Global instead of deleting it, and deletes other documents', () => {
    const { db } = store;
    putDocument(db, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true });
    removeDocument(db, { kind: 'global' });
    expect(getDocument(db, { kind: 'global' })).toEqual({ Identity: 'Global', ...PRODUCT_DEFAULTS });
    const site = parseIdentity(db, 'Site:Dublin');
    putDocument(db, site, { ...PRODUCT_DEFAULTS });
    expect(removeDocument(db, site)).toBe(true);
    expect(getDocument(db, site)).toBeUndefined();
  });

  it.each(['Site:Nowhere', 'Service:WebServer:pool99.contoso.com', 'Pool:pool01.contoso.com', 'Globalx', ''])(
    'refuses the identity %s',
    (identity) => {
      expect(() => parseIdentity(store.db, identity)).toThrow(/Identity/);
    },
  );

  it('refuses to store an invalid document and keeps the old one', () => {
    const before = listDocuments(store.db);
    expect(() =>
      putDocument(store.db, { kind: 'global' }, { ...PRODUCT_DEFAULTS, DownloadUrl: 'http://plain' }),
    ).toThrow(/DownloadUrl/);
    expect(listDocuments(store.db)).toEqual(before);
  });
});
