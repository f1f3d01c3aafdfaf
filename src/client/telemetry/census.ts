/** The census event: which app, device, OS and language, sent once per page session. */
import { APP_NAME } from '../../shared/constants';
import type { EventBody } from '../../shared/telemetry-schema';

const OS_PATTERNS: [RegExp, string][] = [
  [/Windows NT ([\d.]+)/, 'Windows'],
  [/Android ([\d.]+)/, 'Android'],
  [/(?:iPhone|iPad|iPod).*? OS ([\d_]+)/, 'iOS'],
  [/Mac OS X ([\d_.]+)/, 'macOS'],
  [/CrOS \S+ ([\d.]+)/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

export function parseUserAgent(ua: string): { osName: string; osVersion: string; deviceModel: string } {
  let osName = 'Unknown';
  let osVersion = '';
  for (const [pattern, name] of OS_PATTERNS) {
    const match = pattern.exec(ua);
    if (match) {
      osName = name;
      osVersion = (match[1] ?? '').replaceAll('_', '.');
      break;
    }
  }
  const deviceModel = /iPad/.test(ua)
    ? 'iPad'
    : /iPhone/.test(ua)
      ? 'iPhone'
      : /Mobile/.test(ua)
        ? 'Mobile'
        : 'Desktop';
  return { osName, osVersion, deviceModel };
}

export function censusEvent(): EventBody & { type: 'census' } {
  return {
    type: 'census',
    appName: APP_NAME,
    ...parseUserAgent(navigator.userAgent),
    userLanguage: (navigator.language || 'und').slice(0, 35),
  };
}
