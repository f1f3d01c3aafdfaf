import fs from 'node:fs';
import path from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { noPreloadHelper } from './build/no-preload-helper.ts';
import { precompress } from './build/precompress.ts';
import { SERVICE_PREFIXES } from './src/shared/constants.ts';
import { collectedCategories } from './src/shared/telemetry-collected.ts';
import { telemetryOnlyFiles, type ViteManifest } from './src/sw/precache-policy.ts';

const OUT_DIR = 'dist';

export default defineConfig({
  // The privacy notice's list, read off the telemetry schema here (src/client/privacy/collected.ts).
  define: { __COLLECTED_CATEGORIES__: JSON.stringify(collectedCategories()) },
  plugins: [
    preact({ devToolsEnabled: false, prefreshEnabled: true }),
    // Keeps Vite's dependency-preload helper out of the launcher's entry (see the plugin).
    noPreloadHelper(),
    precompress(),
    // The service worker (src/sw/sw.ts) is built into dist/sw.js with the precache list injected.
    // Registration is ours (src/client/sw-bridge.ts), and there is no web app manifest.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        rollupFormat: 'iife',
        globPatterns: ['index.html', 'favicon.svg', 'assets/*.{js,css}'],
        manifestTransforms: [
          // Never precache the telemetry client: it must not reach a device while the flag is off.
          async (entries) => {
            const manifestFile = path.resolve(OUT_DIR, '.vite/manifest.json');
            const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ViteManifest;
            const banned = telemetryOnlyFiles(manifest);
            if (banned.size === 0) throw new Error('precache: no telemetry chunk found in the Vite manifest');
            return { manifest: entries.filter((entry) => !banned.has(entry.url)), warnings: [] };
          },
        ],
      },
    }),
  ],
  build: {
    outDir: OUT_DIR,
    target: 'es2022',
    // Read by the precache filter above.
    manifest: true,
    // The entry is tiny; the polyfill would cost more than it saves on the browsers we support.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npm run dev` proxies the server's routes to a running `npm start`.
    proxy: Object.fromEntries(SERVICE_PREFIXES.map((prefix) => [prefix, 'http://127.0.0.1:8080'])),
  },
});
