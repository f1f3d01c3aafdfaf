import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadOrCreateSecret } from '../../src/server/secret';

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
