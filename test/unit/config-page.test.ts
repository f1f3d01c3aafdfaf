/** The page's valibot-free reader must reach the same verdict as the CLI's strict schemas. */
import { describe, expect, it } from 'vitest';
import { PAGE_CHECKS, PRODUCT_DEFAULTS, readEffectiveConfig } from '../../src/shared/config-page';
import {
  PRODUCT_DEFAULTS as ALL_DEFAULTS,
  documentProblem,
  PARAMETER_NAMES,
  SERVER_ONLY_DEFAULTS,
} from '../../src/shared/config-schema';

/** The parameters the page reads (the server-only ones never reach its reader). */
const PAGE_PARAMETERS = PARAMETER_NAMES.filter((name) => !(name in SERVER_ONLY_DEFAULTS));

const SAMPLES: unknown[] = [
  true,
  false,
  'true',
  1,
  0,
  -1,
  1.5,
  2 ** 31,
  null,
  undefined,
  '',
  'conf',
  'lync15',
  'ms-teams',
  'javascript',
  'https',
  'http',
  'data',
  'Conf',
  'x'.repeat(40),
  'https://example.com/download',
  'http://example.com/download',
  `https://example.com/${'a'.repeat(2100)}`,
  'javascript:alert(1)',
  'en-US',
  'ar-SA',
  'de-AT',
  {},
  [],
];

describe('page reader and strict schemas agree', () => {
  it('lists the same parameters', () => {
    expect(Object.keys(PAGE_CHECKS).sort()).toEqual([...PAGE_PARAMETERS].sort());
  });
  for (const name of PAGE_PARAMETERS) {
    it(name, () => {
      for (const value of SAMPLES) {
        const strictOk = documentProblem({ ...ALL_DEFAULTS, [name]: value }) === undefined;
        expect(PAGE_CHECKS[name as keyof typeof PAGE_CHECKS](value), `${name} = ${JSON.stringify(value)}`).toBe(
          strictOk,
        );
      }
    });
  }
});

describe('readEffectiveConfig', () => {
  it('falls back field by field and keeps telemetry off unless exactly true', () => {
    const config = readEffectiveConfig({
      MeetingUxEnableTelemetry: 'true',
      DesktopClientScheme: 'javascript',
      DownloadUrl: 'https://example.com/app',
      Unknown: 1,
    });
    expect(config).toEqual({ ...PRODUCT_DEFAULTS, DownloadUrl: 'https://example.com/app' });
    expect(readEffectiveConfig(null)).toEqual(PRODUCT_DEFAULTS);
    expect(readEffectiveConfig({ MeetingUxEnableTelemetry: true }).MeetingUxEnableTelemetry).toBe(true);
  });
});
