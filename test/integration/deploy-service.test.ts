/**
 * deploy/meet-launcher.service, the unit docs/operations.md installs: the hardening and ordering it
 * promises are there, and `systemd-analyze verify` (when this machine has it) finds nothing to say.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ROOT } from '../support/server-build';

const UNIT = path.join(ROOT, 'deploy/meet-launcher.service');
const run = promisify(execFile);

/** Each section's directives, every value a directive is given (a directive may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = {};
      sections[section[1] as string] = current;
      continue;
    }
    const match = /^(\w+)=(.*)$/.exec(line);
    if (!match || !current) throw new Error(`not a unit line: ${line}`);
    const name = match[1] as string;
    current[name] = [...(current[name] ?? []), match[2] as string];
  }
  return sections;
}

it('runs as its own user, writes only DATA_DIR, and waits for the network to be online', () => {
  const unit = parseUnit(fs.readFileSync(UNIT, 'utf8'));
  const service = unit.Service ?? {};
  expect(unit.Unit?.Wants).toEqual(['network-online.target']);
  expect(unit.Unit?.After).toEqual(['network-online.target']);
  expect(service.User).toEqual(['meet-launcher']);
  expect(service.ProtectSystem).toEqual(['strict']);
  expect(service.ReadWritePaths).toEqual(['/var/lib/meet-launcher']);
  expect(service.Environment?.join(' ')).toMatch(/\bDATA_DIR=\/var\/lib\/meet-launcher\b/);
  expect(service.NoNewPrivileges).toEqual(['yes']);
  expect(service.PrivateTmp).toEqual(['yes']);
  expect(service.UMask).toEqual(['0077']);
  expect(service.EnvironmentFile).toEqual(['/etc/meet-launcher/meet-launcher.env']);
  expect(service.ExecStart).toEqual(['/usr/bin/node bin/serve.mjs']);
  expect(service.KillSignal).toEqual(['SIGTERM']);
  // The service reloads its certificates on SIGHUP (tls-reload.ts) instead of ending.
  expect(service.ExecReload).toEqual(['/bin/kill -HUP $MAINPID']);
  // The drain takes up to 10 s: systemd must not kill it before.
  expect(Number(service.TimeoutStopSec?.[0])).toBeGreaterThan(10);
  expect(unit.Install?.WantedBy).toEqual(['multi-user.target']);
});

const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((file) => fs.existsSync(file));

it.skipIf(!analyze || !fs.existsSync('/usr/bin/node'))(
  'systemd-analyze verify finds nothing to say about it',
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-unit-'));
    try {
      const file = path.join(dir, 'meet-launcher.service');
      fs.copyFileSync(UNIT, file);
      // verify exits 0 on unknown keys or bad values (it ignores them): its words are the verdict.
      const { stdout, stderr } = await run(analyze as string, ['verify', file]);
      expect(`${stdout}${stderr}`).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

it.skipIf(!analyze)('the check above would catch a misspelt directive', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-unit-'));
  try {
    const file = path.join(dir, 'meet-launcher.service');
    fs.writeFileSync(file, fs.readFileSync(UNIT, 'utf8').replace('ProtectSystem=strict', 'ProtectSytem=strict'));
    const { stderr } = await run(analyze as string, ['verify', file]);
    expect(stderr).toMatch(/Unknown key 'ProtectSytem'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
