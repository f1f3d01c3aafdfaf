import { describe, expect, it } from 'vitest';
import { PRODUCT_DEFAULTS as PAGE_DEFAULTS } from '../../src/shared/config-page';
import { parseParameterValue, readEffectiveConfig } from '../../src/shared/config-schema';

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

// The store's side (documents, effective configuration) runs on both engines: store-contract.test.ts.
