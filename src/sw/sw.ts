/**
 * The service worker: precaches the app shell, answers navigations with it, and leaves the config,
 * the conference API and the telemetry ingest entirely to the network (see routes.ts).
 *
 * It never activates on its own: a new version waits until the page tells it to (sw-bridge.ts
 * does so at a natural break: before joining or after leaving, never in a meeting).
 */

import type { PrecacheEntry } from 'workbox-precaching';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isNetworkOnly, NETWORK_ONLY_PATH } from './routes';
import { refreshHeadersOnInstall, serveShell } from './shell';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

// workbox-window's messageSkipWaiting() sends this.
const SKIP_WAITING = 'SKIP_WAITING';

// Added before Workbox's own listener, so these requests never reach a route: the browser fetches
// them itself, uncached, even if a future route matched too widely.
self.addEventListener('fetch', (event) => {
  if (isNetworkOnly(new URL(event.request.url).pathname)) event.stopImmediatePropagation();
});

// Registered first so navigations reach it before the precache route (which would answer `/`
// with the install-time headers and status).
registerRoute(
  new NavigationRoute(serveShell, {
    denylist: [NETWORK_ONLY_PATH, /^\/(?:healthz|sw\.js)$/],
  }),
);

// Cache-first for the precached assets; a request the precache does not know falls through to
// the routes below, and a request no route matches is not answered by the worker at all.
precacheAndRoute(self.__WB_MANIFEST, { cleanURLs: false, ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();
refreshHeadersOnInstall();

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === SKIP_WAITING) void self.skipWaiting();
});

// The first install takes the page that registered it, so its lazy chunks come from the precache.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
