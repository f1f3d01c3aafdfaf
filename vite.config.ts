import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: true })],
  build: {
    target: 'es2022',
    // The entry is tiny; the polyfill would cost more than it saves on the browsers we support.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npm run dev` proxies the server's routes to a running `npm start`.
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/config': 'http://127.0.0.1:8080',
      '/telemetry': 'http://127.0.0.1:8080',
    },
  },
});
