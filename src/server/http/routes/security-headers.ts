/**
 * Security headers on every response (pages, assets, API, errors, unknown hosts), the CSP and HSTS
 * following the pool's effective config: `connect-src` names the configured telemetry origin, and
 * HSTS uses `HstsMaxAgeInSeconds`. A host no pool serves gets the product defaults.
 */
import type { FastifyInstance } from 'fastify';
import { PRODUCT_DEFAULTS } from '../../../shared/config-schema';

/**
 * Trusted Types policies the page may create. `sw-bridge` vets the one script URL the page hands
 * to the browser (the service worker's); Preact and Vite's output use no other sink.
 */
export const TRUSTED_TYPES_POLICIES = ['sw-bridge'] as const;

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

export function contentSecurityPolicy(telemetryEndpoint: string): string {
  const connect = ["'self'"];
  const telemetryOrigin = telemetryEndpoint ? originOf(telemetryEndpoint) : undefined;
  if (telemetryOrigin) connect.push(telemetryOrigin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    `trusted-types ${TRUSTED_TYPES_POLICIES.join(' ')}`,
  ].join('; ');
}

/** Camera and microphone for this origin only (the meeting); every other powerful feature off. */
export const PERMISSIONS_POLICY = ['camera=(self)', 'microphone=(self)', 'geolocation=()', 'payment=()', 'usb=()'].join(
  ', ',
);

function buildHeaders(
  config: { TelemetryEndpoint: string; HstsMaxAgeInSeconds: number },
  secure: boolean,
): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(config.TelemetryEndpoint),
    ...(secure ? { 'strict-transport-security': `max-age=${config.HstsMaxAgeInSeconds}` } : {}),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': PERMISSIONS_POLICY,
    'x-frame-options': 'DENY',
  };
}

/** Built once per distinct config (a handful per server), not on every answer: floods are answered too. */
const built = new Map<string, Record<string, string>>();
const MAX_BUILT = 256;

/**
 * `secure`: the request came over HTTPS (itself, or through a trusted proxy's X-Forwarded-Proto).
 * HSTS over plain HTTP means nothing to a browser and would only mislead, so it is sent on HTTPS only.
 */
export function securityHeaders(config: { TelemetryEndpoint: string; HstsMaxAgeInSeconds: number }, secure: boolean) {
  const key = `${secure} ${config.HstsMaxAgeInSeconds} ${config.TelemetryEndpoint}`;
  let headers = built.get(key);
  if (!headers) {
    if (built.size >= MAX_BUILT) built.clear();
    headers = Object.freeze(buildHeaders(config, secure));
    built.set(key, headers);
  }
  return headers;
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    // The config pool-context read for this request; a host no pool serves gets the defaults.
    reply.headers(securityHeaders(request.poolConfig ?? PRODUCT_DEFAULTS, request.protocol === 'https'));
  });
}
