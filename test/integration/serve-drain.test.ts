/**
 * `npm run serve`'s SIGTERM drain, on the real process: during an ingest burst, every batch the
 * service acknowledged is in the store after exit, and the process exits (cleanly) within 10 s.
 * Also: it starts on an empty DATA_DIR with an empty production store, and refuses a missing build.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/server/admin/args';
import { runCommand } from '../../src/server/admin/commands';
// From drain.ts, not serve.ts: importing serve.ts would start a server in the test process.
import { DRAIN_DEADLINE_MS } from '../../src/server/drain';
import { openDatabase } from '../../src/server/sql/sqlite-db';
import { seedTopology } from '../support/topology';

let root: string;
let dataDir: string;
let distDir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-drain-'));
  dataDir = path.join(root, 'data');
  distDir = path.join(root, 'dist');
  fs.mkdirSync(distDir);
  fs.writeFileSync(path.join(distDir, 'index.html'), '<!doctype html><title>Join meeting</title>');
});
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

const admin = (...argv: string[]) => runCommand(parseCommandLine(argv), { dataDir });

/** A POST with a Host header of our choosing (fetch sets Host from the URL). */
function post(port: number, host: string, body: string, agent: http.Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/telemetry/v1/batch',
        method: 'POST',
        agent,
        headers: { host, 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Starts serve.ts and resolves with its port once it says where it listens. */
function serve(
  env: Record<string, string> = {},
): Promise<{ port: number; output: () => string; exited: Promise<number | null> }> {
  // One process (tsx's loader in node itself): the signal reaches the server, not a relaying parent.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/serve.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, DIST_DIR: distDir, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /pool web service on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve({ port: Number(match[1]), output: () => output, exited });
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    exited.then((code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

it('starts on an empty DATA_DIR with an empty production store, and says so', async () => {
  const server = await serve();
  expect(server.output()).toContain('new empty store');
  await expect.poll(server.output).toContain('No pools yet');
  const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`);
  expect(ready.status).toBe(200);
  const page = await fetch(`http://127.0.0.1:${server.port}/alice/7Q3DSSYV`);
  expect(page.status).toBe(404); // no demo pool serves 127.0.0.1
  child?.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(JSON.parse((await admin('topology', '--json'))[0] as string)).toEqual({ sites: [] });
  expect(JSON.parse((await admin('meetings', '--json'))[0] as string)).toEqual({ meetings: [] });
}, 30_000);

it('exits with one line when the client build is missing', async () => {
  fs.rmSync(distDir, { recursive: true });
  await expect(serve()).rejects.toThrow(
    /serve exited with 1: meet-launcher could not start: no built client in .*: run "npm run build" first\n$/,
  );
}, 30_000);

it('npm run serve without a server build exits with one line saying to build', async () => {
  // bin/serve.mjs looks for ../dist-server beside itself: a copy in a folder with no build.
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync('bin/serve.mjs', path.join(root, 'bin/serve.mjs'));
  const proc = spawn(process.execPath, [path.join(root, 'bin/serve.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
  expect(code).toBe(1);
  expect(stderr).toBe(
    `meet-launcher: no server build at ${path.join(root, 'dist-server/serve.js')}: run "npm run build" first.\n`,
  );
}, 30_000);

it('on SIGTERM during an ingest burst, stores every acknowledged event and exits within 10 s', async () => {
  await seedTopology(
    { dataDir },
    {
      pools: [{ identity: 'pool03.contoso.com', site: 'Redmond', webHost: 'ingest.contoso.test' }],
    },
  );
  await admin('set', '-MeetingUxEnableTelemetry', 'true');
  const { port, exited } = await serve();
  const acknowledged: string[] = [];
  let sent = 0;
  let signalledAt = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const worker = async () => {
    for (;;) {
      const ids = Array.from({ length: 50 }, () => randomUUID());
      const body = {
        v: 1,
        deviceId: randomUUID(),
        events: ids.map((id) => ({ id, type: 'usage', ts: Date.now(), metric: 'joinAttempt', value: 1 })),
      };
      sent++;
      try {
        const response = await post(port, 'ingest.contoso.test', JSON.stringify(body), agent);
        if (response.status !== 200) return; // 503 while closing: not acknowledged
        const result = JSON.parse(response.text) as { stored: number };
        expect(result.stored).toBe(50);
        acknowledged.push(...ids);
      } catch {
        return; // refused or reset: the service is gone; nothing acknowledged
      }
      if (acknowledged.length >= 50 * 40 && !signalledAt) {
        signalledAt = Date.now();
        child?.kill('SIGTERM');
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  agent.destroy();
  if (!signalledAt) child?.kill('SIGTERM');
  const code = await exited;
  const took = Date.now() - signalledAt;
  expect(signalledAt).toBeGreaterThan(0);
  expect(code).toBe(0);
  expect(took).toBeLessThan(DRAIN_DEADLINE_MS);
  const db = openDatabase(dataDir);
  try {
    const has = db.prepare('SELECT 1 FROM telemetry_events WHERE id = ?');
    const missing = acknowledged.filter((id) => has.get(id) === undefined);
    expect(missing).toEqual([]);
    console.log(
      `drain: ${acknowledged.length} events acknowledged of ${sent * 50} sent; exit ${took} ms after SIGTERM`,
    );
  } finally {
    db.close();
  }
}, 60_000);
