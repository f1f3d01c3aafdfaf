/**
 * No token in any access-log line of the shipped proxy configurations (issue 21, finding 7): the
 * event stream's URL carries the participant's token (`?token=`), and the access logs of
 * deploy/nginx-meet-launcher.conf and deploy/haproxy-meet-launcher.cfg name the path without the
 * query. The real nginx and HAProxy run the shipped files (addresses, ports, certificate and log
 * path substituted, as test/e2e/production-helpers.ts and pool-nodes-helpers.ts do) in front of a
 * stand-in upstream on loopback, over HTTPS and on the plain-HTTP redirect.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificate } from '../support/certificate';
import { haproxyConfigForTest } from '../support/haproxy-config';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOST = 'meet.contoso.test';
const TOKEN = 'tok3nNeverLogged9f2c';
const EVENTS = '/api/v1/participants/p-42/events';

let dir: string;
let upstream: http.Server;
let upstreamPort: number;
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, what: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GET `url` through the proxy (certificate not checked: the test's own), answered or not. */
function get(scheme: 'http' | 'https', port: number, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (scheme === 'https' ? https : http).request(
      {
        host: '127.0.0.1',
        port,
        path: url,
        headers: { host: HOST },
        servername: HOST,
        rejectUnauthorized: false,
        agent: false,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

beforeAll(async () => {
  // Its folder holds fullchain.pem and privkey.pem, as the shipped configs name them.
  dir = makeCertificate([HOST]).dir;
  // The service's stand-in: an event stream that sends one event and ends, 200 for the rest.
  upstream = http.createServer((request, response) => {
    if (request.url?.startsWith(EVENTS)) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      response.end('event: hello\ndata: {}\n\n');
    } else response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
  await new Promise((resolve) => upstream.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the shipped proxy configurations log no token', () => {
  it('nginx: the access log names the event stream by its path alone', { timeout: 30_000 }, async () => {
    const [httpsPort, httpPort] = [await freePort(), await freePort()];
    const accessLog = path.join(dir, 'nginx-access.log');
    const shipped = fs.readFileSync(path.join(ROOT, 'deploy/nginx-meet-launcher.conf'), 'utf8');
    const site = shipped
      .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`)
      .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
      .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
      .replaceAll('server_name meet.contoso.com;', `server_name ${HOST};`)
      .replace('/etc/ssl/meet-launcher/fullchain.pem', path.join(dir, 'fullchain.pem'))
      .replace('/etc/ssl/meet-launcher/privkey.pem', path.join(dir, 'privkey.pem'))
      .replaceAll('/var/log/nginx/meet-launcher.access.log', accessLog);
    expect(site.split(accessLog).length - 1).toBe(2);
    const prefix = path.join(dir, 'nginx');
    fs.mkdirSync(prefix);
    fs.writeFileSync(path.join(prefix, 'site.conf'), site);
    const temp = (name: string) => `${name}_temp_path ${path.join(prefix, name)};`;
    fs.writeFileSync(
      path.join(prefix, 'nginx.conf'),
      `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${path.join(prefix, 'nginx.pid')};
error_log ${path.join(prefix, 'error.log')} warn;
events { worker_connections 64; }
http {
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  include ${path.join(prefix, 'site.conf')};
}
`,
    );
    const child = spawn(
      '/usr/sbin/nginx',
      ['-p', prefix, '-e', path.join(prefix, 'error.log'), '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await waitForPort(httpsPort, child, () => stderr);

    expect(await get('https', httpsPort, `${EVENTS}?token=${TOKEN}`)).toBe(200);
    expect(await get('http', httpPort, `${EVENTS}?token=${TOKEN}`)).toBe(301);
    expect(await get('https', httpsPort, `/alice/7Q3DSSYV?token=${TOKEN}&sl=1`)).toBe(200);
    const log = () => (fs.existsSync(accessLog) ? fs.readFileSync(accessLog, 'utf8') : '');
    await expect.poll(() => log().trim().split('\n').filter(Boolean).length).toBe(3);
    expect(log()).not.toContain(TOKEN);
    expect(log()).not.toContain('?');
    expect(log()).toContain(`"GET ${EVENTS} HTTP/1.1" 200`);
    expect(log()).toContain(`"GET ${EVENTS} HTTP/1.1" 301`);
    expect(log()).toContain('"GET /alice/7Q3DSSYV HTTP/1.1" 200');
  });

  it('HAProxy: the access log names the event stream by its path alone', { timeout: 30_000 }, async () => {
    const [httpsPort, httpPort] = [await freePort(), await freePort()];
    const pem = path.join(dir, 'meet.pem');
    fs.writeFileSync(
      pem,
      fs.readFileSync(path.join(dir, 'fullchain.pem'), 'utf8') + fs.readFileSync(path.join(dir, 'privkey.pem'), 'utf8'),
    );
    const config = haproxyConfigForTest({
      httpPort,
      httpsPort,
      pem,
      nodes: [{ name: 'node-a', port: upstreamPort }],
    });
    // The shipped log target (stdout), as journald would take it.
    expect(config).toContain('log stdout format raw local0 info');
    const file = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(file, config);
    const child = spawn('/usr/sbin/haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    await waitForPort(httpsPort, child, () => out);

    expect(await get('https', httpsPort, `${EVENTS}?token=${TOKEN}`)).toBe(200);
    expect(await get('http', httpPort, `${EVENTS}?token=${TOKEN}`)).toBe(301);
    expect(await get('https', httpsPort, `/alice/7Q3DSSYV?token=${TOKEN}&sl=1`)).toBe(200);
    const requests = () => out.split('\n').filter((line) => line.includes('"GET '));
    await expect.poll(() => requests().length).toBeGreaterThanOrEqual(3);
    expect(out).not.toContain(TOKEN);
    expect(requests().join('\n')).not.toContain('?');
    expect(requests().some((l) => l.includes(` 200 `) && l.includes(`"GET ${EVENTS} HTTP/1.1"`))).toBe(true);
    expect(requests().some((l) => l.includes(` 301 `) && l.includes(`"GET ${EVENTS} HTTP/1.1"`))).toBe(true);
    expect(requests().some((l) => l.includes('"GET /alice/7Q3DSSYV HTTP/1.1"'))).toBe(true);
  });
});
