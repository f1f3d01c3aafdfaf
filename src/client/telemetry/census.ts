/**
 * The census event: which app, device, OS and language, sent once per page session. User-Agent
 * Client Hints give the real OS version and device model where the browser has them (Chromium);
 * elsewhere the User-Agent string is parsed.
 */
import { APP_NAME } from '../../shared/constants';
import { TELEMETRY_LIMITS as L } from '../../shared/telemetry-limits';
import type { EventBody } from '../../shared/telemetry-schema';

const OS_PATTERNS: [RegExp, string][] = [
  [/Windows NT ([\d.]+)/, 'Windows'],
  [/Android ([\d.]+)/, 'Android'],
  [/(?:iPhone|iPad|iPod).*? OS ([\d_]+)/, 'iOS'],
  [/Mac OS X ([\d_.]+)/, 'macOS'],
  [/CrOS \S+ ([\d.]+)/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

export interface DeviceFacts {
  osName: string;
  osVersion: string;
  deviceModel: string;
}

export function parseUserAgent(ua: string): DeviceFacts {
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

interface UADataValues {
  platform?: string;
  platformVersion?: string;
  model?: string;
  mobile?: boolean;
}
interface UAData {
  getHighEntropyValues(hints: string[]): Promise<UADataValues>;
}

/** Client Hints when present, with the parsed User-Agent filling whatever they leave empty. */
export async function deviceFacts(nav: Navigator = navigator): Promise<DeviceFacts> {
  const parsed = parseUserAgent(nav.userAgent);
  const uaData = (nav as Navigator & { userAgentData?: UAData }).userAgentData;
  if (!uaData) return parsed;
  try {
    const hints = await uaData.getHighEntropyValues(['platformVersion', 'model']);
    return {
      osName: (hints.platform || parsed.osName).slice(0, L.shortText),
      osVersion: (hints.platformVersion || parsed.osVersion).slice(0, L.shortText),
      deviceModel: (hints.model || (hints.mobile ? 'Mobile' : parsed.deviceModel)).slice(0, L.shortText),
    };
  } catch {
    return parsed;
  }
}

export function censusEvent(facts: DeviceFacts, hashedUserId: string | undefined): EventBody & { type: 'census' } {
  return {
    type: 'census',
    appName: APP_NAME,
    ...facts,
    userLanguage: (navigator.language || 'und').slice(0, L.userLanguage),
    ...(hashedUserId && { userId: hashedUserId }),
  };
}
