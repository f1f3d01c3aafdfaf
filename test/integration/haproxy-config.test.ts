/**
 * deploy/haproxy-meet-launcher.cfg as shipped, with only addresses, ports, the certificate and the
 * error page's path changed: HAProxy starts with this machine's open-file limit (no fixed maxconn
 * above it), and with every node down a visitor gets the product's own 503 page, whole.
 */

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { haproxyConfigForTest } from '../support/haproxy-config';
import { ROOT } from '../support/server-build';

const run = promisify(execFile);
const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((file) => fs.existsSync(file));
const SHIPPED = fs.readFileSync(path.join(ROOT, 'deploy/haproxy-meet-launcher.cfg'), 'utf8');
const PAGE = fs.readFileSync(path.join(ROOT, 'deploy/haproxy-meet-launcher-503.http'), 'utf8');

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let dir: string;
let child: ChildProcess | undefined;
let httpsPort: number;

function get(urlPath: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(
        {
          host: '127.0.0.1',
          port: httpsPort,
          path: urlPath,
          rejectUnauthorized: false,
          headers: { host: 'meet.contoso.test' },
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        },
      )
      .on('error', reject);
  });
}

beforeAll(async () => {
  if (!HAPROXY) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-haproxy-'));
  const pem = path.join(dir, 'meet.pem');
  const tls = path.join(ROOT, 'test/e2e/tls');
  fs.writeFileSync(
    pem,
    fs.readFileSync(path.join(tls, 'test-only.crt'), 'utf8') + fs.readFileSync(path.join(tls, 'test-only.key'), 'utf8'),
  );
  const [httpPort, deadNodeA, deadNodeB] = [await freePort(), await freePort(), await freePort()];
  httpsPort = await freePort();
  const config = haproxyConfigForTest({
    httpPort,
    httpsPort,
    pem,
    nodes: [
      { name: 'node-a', port: deadNodeA },
      { name: 'node-b', port: deadNodeB },
    ],
    log: 'quiet',
  });
  expect(config).toContain(`127.0.0.1:${deadNodeB}`);
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, config);
  await run(HAPROXY, ['-c', '-f', file]).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`haproxy -c refused the config: ${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
  child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // Started once it answers on its HTTPS port; an exit (e.g. "Cannot raise FD limit") fails here.
  await vi.waitFor(
    async () => {
      if (child?.exitCode !== null) throw new Error(`haproxy exited: ${stderr}`);
      await get('/readyz');
    },
    { timeout: 15_000, interval: 100 },
  );
}, 30_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it.skipIf(!HAPROXY)('ships no fixed maxconn: HAProxy sizes it to the open-file limit it gets', () => {
  expect(SHIPPED).not.toMatch(/^\s*maxconn\s/m);
  expect(child?.exitCode).toBeNull();
});

it.skipIf(!HAPROXY)("with every node down, a visitor gets the product's own 503 page, self-contained", async () => {
  const answer = await get('/alice/7Q3DSSYV');
  expect(answer.status).toBe(503);
  expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.body).toBe(PAGE.slice(PAGE.indexOf('\r\n\r\n') + 4));
  expect(answer.body).toContain('<h1>Meetings are briefly unavailable</h1>');
  expect(answer.body).toContain('prefers-color-scheme:dark');
  // Nothing to fetch from a site that cannot answer: no scripts, links, images or remote styles.
  expect(answer.body).not.toMatch(/<script|<link|<img|src=|href=|url\(|@import/i);
});
