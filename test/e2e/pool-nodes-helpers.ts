/**
 * A pool of many nodes, as docs/operations.md's "Many nodes" steps deploy it: a throwaway PostgreSQL
 * (test/support/postgres.ts), several `dist-server/serve.js` processes on it (each its own
 * NODE_NAME and port, TRUST_PROXY=127.0.0.1), and Debian's HAProxy running the shipped
 * deploy/haproxy-meet-launcher.cfg (addresses, ports and certificate substituted) in front, with
 * its health checks on /readyz. Chromium reaches https://<host>/ through HAProxy; a page can be
 * pinned to one node with HAProxy's ML_NODE cookie, as the load balancer itself would pin it.
 */

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext } from '@playwright/test';
import { haproxyConfigForTest } from '../support/haproxy-config';
import { freePort, type PostgresServer, startPostgres } from '../support/postgres';
import { type Certificate, launchChromium, makeCertificate, ROOT } from './production-helpers';

const run = promisify(execFile);

export interface PoolNode {
  readonly name: string;
  readonly port: number;
  /** Everything the process printed, this run and earlier runs. */
  output(): string;
  /** kill -9: no drain, no goodbye. */
  kill(): Promise<void>;
  /** SIGTERM: the node drains and exits. */
  stop(): Promise<void>;
  /** Starts the node again on the same port and name. */
  start(): Promise<void>;
  running(): boolean;
}

export interface Pool {
  host: string;
  databaseUrl: string;
  nodes: PoolNode[];
  proxyPort: number;
  certificate: Certificate;
  /** The built admin CLI on the pool's DATABASE_URL; throws with its stderr on failure. */
  admin(...args: string[]): Promise<string>;
  browser(): Promise<Browser>;
  /** A context whose requests HAProxy sends to this node while it lives (its ML_NODE cookie). */
  pinnedContext(browser: Browser, node: PoolNode | undefined, errors: string[]): Promise<BrowserContext>;
  stop(): Promise<void>;
}

function startNode(name: string, port: number, env: Record<string, string>): PoolNode {
  let child: ChildProcess | undefined;
  let closed: Promise<void> = Promise.resolve();
  let output = '';
  const node: PoolNode = {
    name,
    port,
    output: () => output,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `meet-launcher-${name}-`));
      const proc = spawn(process.execPath, [path.join(ROOT, 'dist-server/serve.js')], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...env,
          DATA_DIR: dataDir,
          NODE_NAME: name,
          PORT: String(port),
          HOST: '127.0.0.1',
          TRUST_PROXY: '127.0.0.1',
          // The disk guard would refuse telemetry on a nearly full /tmp; the test is not about it.
          MIN_FREE_DISK_MB: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      closed = new Promise((resolve) => proc.on('close', () => resolve()));
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (/pool web service on https?:\/\/127\.0\.0\.1:\d+/.test(output.slice(-4000))) resolve();
        };
        proc.stdout?.on('data', onData);
        proc.stderr?.on('data', onData);
        exited.then((code) => reject(new Error(`node ${name} exited with ${code}: ${output}`)));
      });
      void closed.then(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    },
    async kill() {
      if (node.running()) child?.kill('SIGKILL');
      await closed;
    },
    async stop() {
      if (node.running()) child?.kill('SIGTERM');
      await closed;
    },
  };
  return node;
}

interface Haproxy {
  port: number;
  stop(): Promise<void>;
}

/** HAProxy running the shipped config with the test's addresses, ports and certificate. */
async function startHaproxy(nodes: PoolNode[], certificate: Certificate): Promise<Haproxy> {
  const haproxy = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((file) => fs.existsSync(file));
  if (!haproxy) throw new Error('HAProxy is not installed (Debian: apt-get install -y haproxy)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-haproxy-'));
  const pem = path.join(dir, 'meet.pem');
  fs.writeFileSync(pem, fs.readFileSync(certificate.certFile, 'utf8') + fs.readFileSync(certificate.keyFile, 'utf8'));
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const config = haproxyConfigForTest({
    httpPort,
    httpsPort,
    pem,
    nodes: nodes.map((n) => ({ name: n.name, port: n.port })),
    log: 'quiet',
  });
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, config);
  await run(haproxy, ['-c', '-q', '-f', file]).catch((error: { stderr?: string; stdout?: string }) => {
    throw new Error(`haproxy -c refused the config: ${error.stderr ?? ''}${error.stdout ?? ''}`);
  });
  const child = spawn(haproxy, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${httpPort}/`, { redirect: 'manual' }).then(
      (r) => r.status === 301,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port: httpsPort,
    async stop() {
      child.kill('SIGTERM');
      await closed;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * PostgreSQL, `count` nodes on it, HAProxy in front, and a pool whose web host is `host`, with the
 * desktop-app attempt off (headless Chromium has no app to open).
 */
export async function startPool(host: string, count = 2): Promise<Pool> {
  const postgres: PostgresServer = await startPostgres();
  const databaseUrl = postgres.url;
  const certificate = makeCertificate([host]);
  const admin = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'dist-server/admin.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    }).catch((error: { stderr?: string }) => {
      throw new Error(`admin ${args.join(' ')}: ${error.stderr}`);
    });
    return stdout;
  };
  await admin('init');
  await admin('new-site', '-Identity', 'Redmond');
  await admin(
    'new-pool',
    '-Identity',
    'pool03.contoso.com',
    '-Site',
    'Redmond',
    '-WebHost',
    host,
    '-SipDomain',
    'contoso.com',
  );
  await admin('set', '-AutoLaunchDesktopClient', 'false');
  const nodes: PoolNode[] = [];
  for (const name of ['node-a', 'node-b', 'node-c'].slice(0, count)) {
    nodes.push(startNode(name, await freePort(), { DATABASE_URL: databaseUrl }));
  }
  await Promise.all(nodes.map((n) => n.start()));
  const haproxy = await startHaproxy(nodes, certificate);
  const browsers: Browser[] = [];
  return {
    host,
    databaseUrl,
    nodes,
    proxyPort: haproxy.port,
    certificate,
    admin,
    async browser() {
      const browser = await launchChromium({ [host]: haproxy.port }, certificate);
      browsers.push(browser);
      return browser;
    },
    async pinnedContext(browser, node, errors) {
      const context = await browser.newContext();
      context.on('weberror', (error) => errors.push(error.error().message));
      if (node) {
        await context.addCookies([
          { name: 'ML_NODE', value: node.name, domain: host, path: '/', secure: true, httpOnly: true },
        ]);
      }
      return context;
    },
    async stop() {
      for (const browser of browsers) await browser.close();
      await haproxy.stop();
      await Promise.all(nodes.map((n) => n.stop()));
      await postgres.stop();
      fs.rmSync(certificate.dir, { recursive: true, force: true });
    },
  };
}
