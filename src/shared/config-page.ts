/**
 * The page's side of the pool's web-service configuration, kept free of valibot so the launcher's
 * entry bundle stays inside the first TCP window. The strict schemas the admin CLI uses live in
 * `config-schema.ts`; a unit test holds both readers to the same verdict on every parameter.
 */

export const SUPPORTED_LOCALES = ['en-US', 'pt-BR', 'es-ES', 'fr-FR', 'de-DE', 'ja-JP', 'ar-SA'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export const MAX_URL_LENGTH = 2048;
/** URI schemes a pool may name for its desktop client; web and script schemes are never allowed. */
export const DESKTOP_SCHEME = /^[a-z][a-z0-9+.-]{0,31}$/;
const UNSAFE_SCHEMES = new Set(['http', 'https', 'javascript', 'data', 'file', 'blob', 'about', 'vbscript', 'intent']);

export function isHttpsUrl(s: string): boolean {
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}

export function isDesktopScheme(s: string): boolean {
  return DESKTOP_SCHEME.test(s) && !UNSAFE_SCHEMES.has(s);
}

export interface WebServiceConfig {
  MeetingUxEnableTelemetry: boolean;
  ShowAlternateJoinOptionsExpanded: boolean;
  AutoLaunchDesktopClient: boolean;
  AllowAnonymousJoin: boolean;
  DownloadUrl: string;
  DesktopClientScheme: string;
  DefaultLanguage: '' | SupportedLocale;
  TelemetryEndpoint: string;
  HstsMaxAgeInSeconds: number;
}

export const PRODUCT_DEFAULTS: Readonly<WebServiceConfig> = Object.freeze({
  MeetingUxEnableTelemetry: false,
  ShowAlternateJoinOptionsExpanded: false,
  AutoLaunchDesktopClient: true,
  AllowAnonymousJoin: true,
  DownloadUrl: 'https://www.microsoft.com/microsoft-teams/download-app',
  DesktopClientScheme: 'conf',
  DefaultLanguage: '',
  TelemetryEndpoint: '',
  HstsMaxAgeInSeconds: 315360000,
});

const isBoolean = (x: unknown): x is boolean => typeof x === 'boolean';
const isUrlString = (x: unknown): x is string => typeof x === 'string' && x.length <= MAX_URL_LENGTH;

/** The lenient page-side check of each parameter: true means the value is used as it is. */
export const PAGE_CHECKS: { [K in keyof WebServiceConfig]: (x: unknown) => boolean } = {
  MeetingUxEnableTelemetry: isBoolean,
  ShowAlternateJoinOptionsExpanded: isBoolean,
  AutoLaunchDesktopClient: isBoolean,
  AllowAnonymousJoin: isBoolean,
  DownloadUrl: (x) => isUrlString(x) && isHttpsUrl(x),
  DesktopClientScheme: (x) => typeof x === 'string' && isDesktopScheme(x),
  DefaultLanguage: (x) => x === '' || (SUPPORTED_LOCALES as readonly unknown[]).includes(x),
  TelemetryEndpoint: (x) => isUrlString(x) && (x === '' || isHttpsUrl(x)),
  HstsMaxAgeInSeconds: (x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 2 ** 31 - 1,
};

/**
 * The page's reading of the effective config: unknown fields are ignored, each invalid field
 * falls back to its product default, and telemetry is on only for exactly JSON `true`.
 */
export function readEffectiveConfig(input: unknown): WebServiceConfig {
  const config: Record<string, unknown> = { ...PRODUCT_DEFAULTS };
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const fields = input as Record<string, unknown>;
    for (const name of Object.keys(PAGE_CHECKS) as (keyof WebServiceConfig)[]) {
      if (PAGE_CHECKS[name](fields[name])) config[name] = fields[name];
    }
  }
  config.MeetingUxEnableTelemetry = (input as Record<string, unknown> | null)?.MeetingUxEnableTelemetry === true;
  return config as unknown as WebServiceConfig;
}
