/**
 * Navigations are answered with the precached page, so a repeat visit paints with no network and
 * an offline visit shows the app's own offline screen. The page reads the link itself and explains
 * an invalid one; the status mirrors the server's (404 for a path that is not a meeting link).
 *
 * The page's security headers follow the pool's config (the CSP names the telemetry origin, HSTS
 * its max-age), so the copy precached at install would go stale: the worker keeps the headers of
 * the latest network answer and refreshes them in the background on every cached navigation.
 */

import type { RouteHandlerCallbackOptions } from 'workbox-core/types';
import { matchPrecache } from 'workbox-precaching';
import { parseMeetingPath } from '../shared/meeting-url';
import { SECURITY_HEADER_NAMES } from './routes';

declare const self: ServiceWorkerGlobalScope;

export const SHELL_URL = '/index.html';
const HEADERS_CACHE = 'meet-security-headers';
const HEADERS_KEY = '/__security-headers__';

async function storedSecurityHeaders(): Promise<Headers | undefined> {
  const cache = await caches.open(HEADERS_CACHE);
  return (await cache.match(HEADERS_KEY))?.headers;
}

/** Reads the current headers with a HEAD request (no body) and keeps them for the next navigation. */
export async function refreshSecurityHeaders(): Promise<void> {
  try {
    const response = await fetch(SHELL_URL, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) return;
    const headers = new Headers();
    for (const name of SECURITY_HEADER_NAMES) {
      const value = response.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const cache = await caches.open(HEADERS_CACHE);
    await cache.put(HEADERS_KEY, new Response(null, { headers }));
  } catch {
    // Offline: the stored headers stay until the network is back.
  }
}

export async function serveShell({ request, url, event }: RouteHandlerCallbackOptions): Promise<Response> {
  const cached = await matchPrecache(SHELL_URL);
  if (!cached) return fetch(request);
  const headers = new Headers(cached.headers);
  const fresh = await storedSecurityHeaders();
  if (fresh) for (const [name, value] of fresh) headers.set(name, value);
  headers.set('cache-control', 'no-store');
  if (event) (event as ExtendableEvent).waitUntil(refreshSecurityHeaders());
  else void refreshSecurityHeaders();
  const status = parseMeetingPath(url.pathname).ok ? 200 : 404;
  return new Response(cached.body, { status, statusText: status === 200 ? 'OK' : 'Not Found', headers });
}

/** Keeps the security headers with the precache's install, so the first cached visit has some. */
export function refreshHeadersOnInstall(): void {
  self.addEventListener('install', (event) => event.waitUntil(refreshSecurityHeaders()));
}
