/**
 * Production flows: `npm run serve` from the build on an empty DATA_DIR, the built admin CLI, a
 * certificate made with openssl for the test, and a Chromium that resolves the pool's web host
 * (port 443 in the printed links) to the test's port and trusts that certificate.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium } from '@playwright/test';
import type { Certificate } from '../support/certificate';
import { CHROMIUM_ARGS, findChromium } from './browser';

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Served {
  port: number;
  dataDir: string;
  output(): string;
  /** The built admin CLI (`dist-server/admin.js`) on this DATA_DIR; throws with its stderr on failure. */
  admin(...args: string[]): Promise<string>;
  /** SIGTERM to npm and the server (one process group); resolves once the server has exited. */
  stop(): Promise<void>;
}

/** `npm run serve` on a fresh, empty DATA_DIR; resolves once it says where it listens. */
export async function serveProduction(env: Record<string, string> = {}): Promise<Served> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-prod-'));
  fs.rmSync(dataDir, { recursive: true }); // "an empty DATA_DIR": not even the folder
  // Its own process group, so the SIGTERM reaches the server under npm's shell.
  const child: ChildProcess = spawn('npm', ['run', '--silent', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // npm may be gone before the server it started: the pipes close only when the server has exited.
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let stopping: Promise<void> | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /pool web service on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exited.then((code) => reject(new Error(`npm run serve exited with ${code}: ${output}`)));
  });
  return {
    port,
    dataDir,
    output: () => output,
    async admin(...args) {
      const { stdout } = await run(process.execPath, [path.join(ROOT, 'dist-server/admin.js'), ...args], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir },
      }).catch((error: { stderr?: string }) => {
        throw new Error(`admin ${args.join(' ')}: ${error.stderr}`);
      });
      return stdout;
    },
    stop() {
      // Once: a flow that stops the server itself is followed by the file's own stop (npm, killed
      // by the signal, has no exit code then: asking its group again found no process, ESRCH).
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
        await closed;
        fs.rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

export { type Certificate, makeCertificate } from '../support/certificate';

/** A Chromium where https://<host>/ (port 443) reaches 127.0.0.1:<port> and the test certificate is valid. */
export function launchChromium(hosts: Record<string, number>, certificate: Certificate): Promise<Browser> {
  const rules = Object.entries(hosts)
    .map(([host, port]) => `MAP ${host}:443 127.0.0.1:${port}`)
    .join(',');
  return chromium.launch({
    executablePath: findChromium(),
    args: [
      ...CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--host-resolver-rules=')),
      `--host-resolver-rules=${rules}`,
      `--ignore-certificate-errors-spki-list=${certificate.spki}`,
    ],
  });
}

/** A fresh context whose uncaught page errors land in `errors` (the spec expects none). */
export async function newContext(browser: Browser, errors: string[]): Promise<BrowserContext> {
  const context = await browser.newContext();
  context.on('weberror', (error) => errors.push(error.error().message));
  return context;
}

export interface Nginx {
  port: number;
  stop(): Promise<void>;
}

/**
 * Debian's nginx running the site file docs/operations.md installs (deploy/nginx-meet-launcher.conf) with the test's
 * ports, host name and certificate substituted; everything else is the file as shipped.
 */
export async function startNginx(upstreamPort: number, host: string, certificate: Certificate): Promise<Nginx> {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((file) => fs.existsSync(file));
  if (!nginx) throw new Error('nginx is not installed (Debian: apt-get install -y nginx)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-nginx-'));
  const [httpsPort, httpPort] = (await freePorts(2)) as [number, number];
  const site = fs
    .readFileSync(path.join(ROOT, 'deploy/nginx-meet-launcher.conf'), 'utf8')
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`)
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replaceAll('server_name meet.contoso.com;', `server_name ${host};`)
    .replace('/etc/ssl/meet-launcher/fullchain.pem', certificate.certFile)
    .replace('/etc/ssl/meet-launcher/privkey.pem', certificate.keyFile)
    // The shipped access log (path only, no query: test/integration/proxy-logs.test.ts), kept in the test's folder.
    .replaceAll('/var/log/nginx/meet-launcher.access.log', path.join(dir, 'access.log'));
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  include ${path.join(dir, 'site.conf')};
}
`,
  );
  const child = spawn(
    nginx,
    ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // nginx says nothing when it is up: wait until its port takes connections.
  const deadline = Date.now() + 10_000;
  while (!(await accepts(httpsPort))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`nginx did not start: ${stderr}${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port: httpsPort,
    async stop() {
      child.kill('SIGQUIT');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve) => {
          const server = net.createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** An HTTPS request to the proxy as the client at `from` (another loopback address) would make it. */
export function requestVia(
  port: number,
  host: string,
  certificate: Certificate,
  options: { method: string; path: string; from: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port,
        servername: host,
        ca: fs.readFileSync(certificate.certFile),
        localAddress: options.from,
        method: options.method,
        path: options.path,
        headers: { host, ...options.headers },
        agent: false,
      },
      (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
