/**
 * The installed admin command: `npx meet-launcher <verb>` (package.json `bin`) runs the built CLI
 * in one process, so stdout is the verb's output alone (JSON parses, CSV starts with its header),
 * also through a link as a global install makes it; without a build it says so in one line.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BuiltInstall, buildInstall, PACKAGE, ROOT } from '../support/server-build';

const run = promisify(execFile);
let install: BuiltInstall;
let dataDir: string;

beforeAll(() => {
  install = buildInstall();
  dataDir = path.join(install.root, 'data');
}, 60_000);
afterAll(() => install?.cleanup());

/** `npx meet-launcher ...` in the install's folder, as docs/operations.md's production steps run it. */
const npx = (...args: string[]) =>
  run('npx', ['--no-install', 'meet-launcher', ...args], {
    cwd: install.root,
    env: { ...process.env, DATA_DIR: dataDir, npm_config_update_notifier: 'false' },
  });

/** The bin itself, as the link a global install makes runs it (the setup of the store). */
const bin = (...args: string[]) =>
  run(process.execPath, [path.join(install.root, 'bin/meet-launcher.mjs'), ...args], {
    env: { ...process.env, DATA_DIR: dataDir },
  });

it('npx meet-launcher prints only the verb output: JSON parses straight from stdout, CSV starts with its header', async () => {
  expect((await bin('init')).stdout).toMatch(/^Created an empty store in /);
  await bin('new-site', '-Identity', 'Redmond');
  await bin(
    'new-pool',
    '-Identity',
    'pool01.contoso.com',
    '-Site',
    'Redmond',
    '-WebHost',
    'meet.contoso.com',
    '-SipDomain',
    'contoso.com',
  );
  const meeting = JSON.parse(
    (await npx('new-meeting', '-Organizer', 'alice@contoso.com', '-Subject', 'Plan', '--json')).stdout,
  );
  expect(meeting.guestLink).toBe(`https://meet.contoso.com/alice/${meeting.conferenceId}`);
  const report = await npx('report', '--Json');
  expect(JSON.parse(report.stdout).pools).toEqual([
    expect.objectContaining({ pool: 'pool01.contoso.com', joinAttempts: 0 }),
  ]);
  expect(report.stderr).toBe('');
  const csv = (await npx('report', '--Csv', '--Days', '1')).stdout;
  expect(csv.split('\n')[0]).toMatch(/^pool,date,joinAttempts,/);
}, 120_000);

it('a link to the bin (what a global install or npm link makes) runs the same build, with its version', async () => {
  const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-bin-'));
  try {
    fs.symlinkSync(path.join(install.root, PACKAGE.bin['meet-launcher'] as string), path.join(binDir, 'meet-launcher'));
    const { stdout } = await run('meet-launcher', ['version', '--Json'], {
      env: { ...process.env, PATH: `${binDir}:${process.env.PATH}`, DATA_DIR: dataDir },
    });
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT }).toString().trim();
    expect(JSON.parse(stdout)).toEqual({ version: PACKAGE.version, commit, node: process.version });
  } finally {
    fs.rmSync(binDir, { recursive: true, force: true });
  }
}, 30_000);

it('without a build, says to run "npm run build" in one line and exits 1', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-nobuild-'));
  try {
    fs.cpSync(path.join(ROOT, 'bin'), path.join(empty, 'bin'), { recursive: true });
    const failed = await run(process.execPath, [path.join(empty, 'bin/meet-launcher.mjs'), 'version']).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe(
      `meet-launcher: no admin build at ${path.join(empty, 'dist-server/admin.js')}: run "npm run build" first.\n`,
    );
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

it("deploy/meet-launcher-admin.sh takes DATA_DIR from the service's settings file", async () => {
  const settings = path.join(install.root, 'meet-launcher.env');
  const fromFile = path.join(install.root, 'from-settings-file');
  fs.writeFileSync(settings, `# as the unit reads it\nDATA_DIR=${fromFile}\n`);
  const { stdout } = await run('sh', [path.join(ROOT, 'deploy/meet-launcher-admin.sh'), 'init'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      MEET_LAUNCHER_ENV: settings,
      MEET_LAUNCHER_HOME: install.root,
      MEET_LAUNCHER_USER: 'no-such-user-here',
    },
  });
  expect(stdout).toBe(`Created an empty store in ${fromFile}. Next: new-site, new-pool, new-meeting (see "help").\n`);
}, 30_000);
