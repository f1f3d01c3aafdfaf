/** The precache never holds the telemetry client, nor chunks only it uses; the SW leaves live paths alone. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { telemetryOnlyFiles, type ViteManifest } from '../../src/sw/precache-policy';
import { isNetworkOnly } from '../../src/sw/routes';

const MANIFEST: ViteManifest = {
  'index.html': {
    file: 'assets/index-1.js',
    src: 'index.html',
    isEntry: true,
    dynamicImports: ['src/client/telemetry/client.ts', 'src/client/meeting/Shell.tsx'],
    css: ['assets/index-1.css'],
  },
  'src/client/meeting/Shell.tsx': {
    file: 'assets/Shell-1.js',
    isDynamicEntry: true,
    imports: ['index.html', '_shared.js'],
  },
  'src/client/telemetry/client.ts': {
    file: 'assets/client-1.js',
    src: 'src/client/telemetry/client.ts',
    isDynamicEntry: true,
    imports: ['index.html', '_shared.js', '_web-vitals.js'],
    dynamicImports: ['src/client/telemetry/vitals.ts'],
  },
  'src/client/telemetry/vitals.ts': {
    file: 'assets/vitals-1.js',
    src: 'src/client/telemetry/vitals.ts',
    isDynamicEntry: true,
  },
  '_web-vitals.js': { file: 'assets/web-vitals-1.js' },
  '_shared.js': { file: 'assets/shared-1.js' },
};

describe('precache policy', () => {
  it('drops the telemetry chunk and what only it imports, keeps what the app shares', () => {
    expect([...telemetryOnlyFiles(MANIFEST)].sort()).toEqual([
      'assets/client-1.js',
      'assets/vitals-1.js',
      'assets/web-vitals-1.js',
    ]);
  });

  it('holds for the real build', () => {
    const dist = path.resolve('dist');
    const sw = path.join(dist, 'sw.js');
    // `npm run test:unit` builds first; a missing build is a failure, never a silent pass.
    expect(fs.existsSync(sw), `${sw} is missing: run \`npx vite build\` first`).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as ViteManifest;
    const banned = telemetryOnlyFiles(manifest);
    expect(banned.size).toBeGreaterThan(0);
    const source = fs.readFileSync(sw, 'utf8');
    for (const file of banned) expect(source).not.toContain(file);
    expect(source).toContain('"url":"index.html"');
    expect(source).toMatch(/"url":"assets\/Shell-[\w-]+\.js"/);
  });
});

describe('network-only paths', () => {
  it('covers the config, the API (its event stream included) and telemetry, in any case', () => {
    for (const p of [
      '/config/webservice.json',
      '/api/v1/meetings/a/B',
      '/api/v1/meetings/a/B/events',
      '/telemetry/v1/batch',
      '/API/v1/x',
      '/sw.js',
      '/healthz',
    ]) {
      expect(isNetworkOnly(p), p).toBe(true);
    }
    for (const p of ['/alice/7Q3DSSYV', '/assets/index-1.js', '/index.html', '/configuration', '/apis/x']) {
      expect(isNetworkOnly(p), p).toBe(false);
    }
  });
});
