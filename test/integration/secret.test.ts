import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/server/admin/args';
import { runCommand } from '../../src/server/admin/commands';
import { loadOrCreateSecret, rotateSecret } from '../../src/server/secret';
import { tempStore } from '../support/temp-store';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

it('makes a 32-byte secret once, readable by its owner only, and keeps it across starts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-secret-'));
  dirs.push(dir);
  const first = loadOrCreateSecret(dir);
  expect(first).toHaveLength(32);
  expect(fs.statSync(path.join(dir, 'telemetry-hmac.key')).mode & 0o777).toBe(0o600);
  expect(loadOrCreateSecret(dir).equals(first)).toBe(true);
});

it('refuses a truncated secret instead of silently weakening the hash', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-secret-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'telemetry-hmac.key'), 'short');
  expect(() => loadOrCreateSecret(dir)).toThrow(/shorter than 32 bytes/);
});

describe('the secret of a store', () => {
  it('is the DATA_DIR file on the embedded store, and rotation replaces it (0600) with a new one', async () => {
    const t = await tempStore();
    try {
      const first = await loadOrCreateSecret(t.store);
      expect(first.equals(loadOrCreateSecret(t.dataDir))).toBe(true);
      const rotated = await rotateSecret(t.store);
      expect(rotated).toHaveLength(32);
      expect(rotated.equals(first)).toBe(false);
      const file = path.join(t.dataDir, 'telemetry-hmac.key');
      expect(fs.readFileSync(file).equals(rotated)).toBe(true);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect((await loadOrCreateSecret(t.store)).equals(rotated)).toBe(true);
      expect(fs.readdirSync(t.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      t.cleanup();
    }
  });

  it('is rotated by the admin verb, which --WhatIf leaves alone', async () => {
    const t = await tempStore();
    try {
      const first = await loadOrCreateSecret(t.store);
      const run = (...argv: string[]) => runCommand(parseCommandLine(argv), { dataDir: t.dataDir });
      expect(await run('rotate-telemetry-secret', '-WhatIf')).toEqual([
        'What if: would replace the telemetry secret in telemetry-hmac.key',
      ]);
      expect((await loadOrCreateSecret(t.store)).equals(first)).toBe(true);
      expect((await run('rotate-telemetry-secret'))[0]).toMatch(/^Replaced the telemetry secret .*Restart the server/);
      expect((await loadOrCreateSecret(t.store)).equals(first)).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});
