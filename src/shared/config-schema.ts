/**
 * The pool's web-service configuration (modelled on CsWebServiceConfiguration).
 * One table of parameters drives both readers:
 * - the admin CLI parses strictly (`parseParameterValue`): a bad value is an error;
 * - the page reads leniently (`readEffectiveConfig`): a bad or missing value is the default,
 *   and telemetry is on only for exactly JSON `true` (fail closed).
 */
import * as v from 'valibot';
import {
  isDesktopScheme,
  isHttpsUrl,
  MAX_TELEMETRY_EVENTS_PER_DAY,
  PRODUCT_DEFAULTS as PAGE_DEFAULTS,
  type WebServiceConfig as PageConfig,
  SUPPORTED_LOCALES,
} from './config-page';
import { isIceServerList } from './ice-servers';

// The page's reader and defaults live beside it, valibot-free, to keep the launcher entry small.
export { readEffectiveConfig, SUPPORTED_LOCALES } from './config-page';

/**
 * Parameters only the server reads (the page gets what it needs from them through the API, e.g.
 * ICE servers with fresh TURN credentials); kept out of the page's reader and its entry bundle.
 */
export const SERVER_ONLY_DEFAULTS = { IceServers: '' };
export type ServerOnlyName = keyof typeof SERVER_ONLY_DEFAULTS;
/** Product defaults of every parameter, the server-only ones included. */
export const PRODUCT_DEFAULTS: Readonly<PageConfig & typeof SERVER_ONLY_DEFAULTS> = Object.freeze({
  ...PAGE_DEFAULTS,
  ...SERVER_ONLY_DEFAULTS,
});

const httpsUrl = v.pipe(
  v.string('must be a string'),
  v.maxLength(2048, 'must be at most 2048 characters'),
  v.check(isHttpsUrl, 'must be an https:// URL'),
);

const parameterSchemas = {
  MeetingUxEnableTelemetry: v.boolean('must be true or false'),
  ShowAlternateJoinOptionsExpanded: v.boolean('must be true or false'),
  AutoLaunchDesktopClient: v.boolean('must be true or false'),
  AllowAnonymousJoin: v.boolean('must be true or false'),
  DownloadUrl: httpsUrl,
  DesktopClientScheme: v.pipe(
    v.string('must be a string'),
    v.check(isDesktopScheme, 'must be a URI scheme such as conf (not http, https, javascript, data or file)'),
  ),
  DefaultLanguage: v.picklist(['', ...SUPPORTED_LOCALES], `must be empty or one of ${SUPPORTED_LOCALES.join(', ')}`),
  TelemetryEndpoint: v.pipe(
    v.string('must be a string'),
    v.maxLength(2048, 'must be at most 2048 characters'),
    v.check((s) => s === '' || isHttpsUrl(s), 'must be empty (same origin) or an https:// URL'),
  ),
  HstsMaxAgeInSeconds: v.pipe(
    v.number('must be a whole number'),
    v.integer('must be a whole number'),
    v.minValue(0, 'must be 0 or more'),
    v.maxValue(2 ** 31 - 1, 'must be at most 2147483647'),
  ),
  TelemetryMaxEventsPerDay: v.pipe(
    v.number('must be a whole number'),
    v.integer('must be a whole number'),
    v.minValue(0, 'must be 0 or more'),
    v.maxValue(MAX_TELEMETRY_EVENTS_PER_DAY, `must be at most ${MAX_TELEMETRY_EVENTS_PER_DAY}`),
  ),
  IceServers: v.pipe(
    v.string('must be a string'),
    v.check(
      (s: string) => isIceServerList(s),
      'must be empty or stun:, stuns:, turn: or turns: URLs (host[:port][?transport=udp|tcp]) separated by commas',
    ),
  ),
} as const;

export type ParameterName = keyof typeof parameterSchemas;
export type WebServiceConfig = { [K in ParameterName]: v.InferOutput<(typeof parameterSchemas)[K]> };

// The page's hand-written type must be exactly what the schemas accept (server-only ones aside).
type PageParameters = Omit<WebServiceConfig, ServerOnlyName>;
const sameShape: PageConfig extends PageParameters ? (PageParameters extends PageConfig ? true : never) : never = true;
void sameShape;

export const PARAMETER_NAMES = Object.keys(parameterSchemas) as ParameterName[];

/** The canonical spelling of a parameter name given in any case, or undefined. */
export function canonicalParameterName(name: string): ParameterName | undefined {
  const lower = name.toLowerCase();
  return PARAMETER_NAMES.find((p) => p.toLowerCase() === lower);
}

export type ParsedValue = { ok: true; value: WebServiceConfig[ParameterName] } | { ok: false; message: string };

/** Parses a CLI argument for a parameter strictly. */
export function parseParameterValue(name: ParameterName, raw: string): ParsedValue {
  const kind = typeof PRODUCT_DEFAULTS[name];
  let candidate: unknown = raw;
  if (kind === 'boolean') {
    const lower = raw.toLowerCase();
    if (lower === 'true' || lower === '$true') candidate = true;
    else if (lower === 'false' || lower === '$false') candidate = false;
    else return { ok: false, message: `${name} takes true or false ($true or $false), not "${raw}"` };
  } else if (kind === 'number') {
    if (!/^\d+$/.test(raw)) return { ok: false, message: `${name} takes a whole number of 0 or more, not "${raw}"` };
    candidate = Number(raw);
  }
  const result = v.safeParse(parameterSchemas[name], candidate);
  if (!result.success) return { ok: false, message: `${name} ${result.issues[0].message}, not "${raw}"` };
  return { ok: true, value: result.output };
}

/** Validates a stored document; returns the first problem or undefined. */
export function documentProblem(doc: Record<string, unknown>): string | undefined {
  for (const name of PARAMETER_NAMES) {
    const result = v.safeParse(parameterSchemas[name], doc[name]);
    if (!result.success) return `${name} ${result.issues[0].message}`;
  }
  return undefined;
}
