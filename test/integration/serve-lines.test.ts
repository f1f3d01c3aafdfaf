/**
 * What `npm run serve` says, read as a log collector reads it: the start and stop lines are JSON
 * like every other line (with the build's version), /readyz and /healthz polls are logged at
 * debug only, and the metrics endpoint carries meet_build_info.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildInfo } from '../../src/server/build-info';
import { createMetrics } from '../../src/server/metrics';
import { makeCertificate } from '../support/certificate';
import { PACKAGE } from '../support/server-build';

let root: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-lines-'));
  fs.mkdirSync(path.join(root, 'dist'));
  fs.writeFileSync(path.join(root, 'dist/index.html'), '<!doctype html><title>Join meeting</title>');
});
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

function serve(env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/serve.ts'], {
    env: {
      ...process.env,
      DATA_DIR: path.join(root, 'data'),
      DIST_DIR: path.join(root, 'dist'),
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_NAME: 'node-t',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  proc.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  const lines = (): LogLine[] =>
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LogLine);
  return { lines, stderr: () => stderr, exited };
}

/** A server process started through tsx takes 2 s alone and over 20 s on a loaded 2-core machine. */
const STARTS_WITHIN = { timeout: 60_000 };

it('prints its start and stop lines as JSON log lines, and every other stdout line is JSON too', async () => {
  const server = serve({ LOG_LEVEL: 'info' });
  await expect.poll(() => server.lines().find((l) => l.event === 'start'), STARTS_WITHIN).toBeTruthy();
  const start = server.lines().find((l) => l.event === 'start') as LogLine;
  expect(start).toMatchObject({
    level: 30,
    node: 'node-t',
    version: PACKAGE.version,
    nodeVersion: process.version,
    created: true,
  });
  expect(start.msg).toMatch(
    /^meet-launcher pool web service on http:\/\/127\.0\.0\.1:\d+ \(node node-t, data in .*, new empty store\)$/,
  );
  const url = start.url as string;
  for (let i = 0; i < 3; i++) expect((await fetch(`${url}/readyz`)).status).toBe(200);
  await fetch(`${url}/healthz`);
  await fetch(`${url}/config/webservice.json`); // a request that is logged at info
  await expect.poll(() => server.lines().filter((l) => l.msg === 'request').length).toBe(1);
  expect(server.lines().filter((l) => l.route === '/readyz' || l.route === '/healthz')).toEqual([]);
  child?.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  const stop = server.lines().at(-1) as LogLine;
  expect(stop).toMatchObject({ level: 30, event: 'stop', signal: 'SIGTERM', node: 'node-t' });
  expect(stop.msg).toMatch(/^meet-launcher stopped on SIGTERM in \d+ ms$/);
  expect(server.stderr()).toBe('');
}, 150_000);

it('logs the probes at debug, when debug is asked for', async () => {
  const server = serve({ LOG_LEVEL: 'debug' });
  await expect.poll(() => server.lines().find((l) => l.event === 'start'), STARTS_WITHIN).toBeTruthy();
  const url = (server.lines().find((l) => l.event === 'start') as LogLine).url as string;
  await fetch(`${url}/readyz`);
  await expect
    .poll(() => server.lines().filter((l) => l.route === '/readyz'))
    .toEqual([expect.objectContaining({ level: 20, msg: 'request', status: 200 })]);
}, 150_000);

it('with TLS files, SIGHUP reloads the certificate and the service goes on; without, it is logged and ignored', async () => {
  const { certFile, keyFile } = makeCertificate(['meet.contoso.test']);
  const server = serve({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
  await expect.poll(() => server.lines().find((l) => l.event === 'start'), STARTS_WITHIN).toBeTruthy();
  child?.kill('SIGHUP');
  await expect
    .poll(() => server.lines().find((l) => l.event === 'tls-reload'))
    .toMatchObject({
      level: 30,
      reason: 'SIGHUP',
      msg: expect.stringMatching(/^TLS certificate reloaded \(SIGHUP\)/),
    });
  expect(child?.exitCode).toBeNull();
  child?.kill('SIGTERM');
  expect(await server.exited).toBe(0);

  const plain = serve({});
  await expect.poll(() => plain.lines().filter((l) => l.event === 'start').length, STARTS_WITHIN).toBe(1);
  child?.kill('SIGHUP');
  await expect
    .poll(() => plain.lines().find((l) => l.event === 'tls-reload')?.msg)
    .toBe('SIGHUP: no TLS files to reload');
  child?.kill('SIGTERM');
  expect(await plain.exited).toBe(0);
}, 180_000);

it('exposes meet_build_info with the version, the commit and the Node version, next to the node label', async () => {
  const text = await createMetrics({ nodeName: 'node-t' }).registry.metrics();
  const { version, commit, node } = buildInfo();
  expect(text).toContain(
    `meet_build_info{version="${version}",commit="${commit ?? 'unknown'}",node_version="${node}",node="node-t"} 1`,
  );
  expect(version).toBe(PACKAGE.version);
});
