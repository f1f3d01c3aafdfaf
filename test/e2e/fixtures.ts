/**
 * QA helpers: each test gets the real pool web service on a fresh temp DATA_DIR, the real admin
 * CLI on the same store, and a log of every request its pages make. Any uncaught page error fails
 * the test. Import `test` and `expect` from here instead of '@playwright/test'.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BrowserContext, test as base, expect, type Page, type Request } from '@playwright/test';
import { seedDemoIfEmpty } from '../../src/server/demo/seed';
import { buildApp } from '../../src/server/http/app';
import { loadOrCreateSecret } from '../../src/server/secrets/secret';
import { openDatabase } from '../../src/server/sql/sqlite-db';
import { sqliteStore } from '../../src/server/sql/store';
import { putDocument } from '../../src/server/store/config-store';
import type { PoolReport } from '../../src/server/telemetry/report';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { telemetryOnlyFiles, type ViteManifest } from '../../src/sw/precache-policy';
import { ExternalLaunches } from './external-launch';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface AdminResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PoolServer {
  port: number;
  dataDir: string;
  /** A URL on this server for a demo host: `127.0.0.1` (pool01) unless another is named. */
  url(pathAndQuery: string, host?: string): string;
  /** Runs `npm run admin -- ...args` against this server's DATA_DIR, as a separate process. */
  admin(...args: string[]): Promise<AdminResult>;
  /** `admin report --json`, parsed; throws if the CLI fails. */
  report(): Promise<PoolReport[]>;
  /** The report entry of one pool. */
  reportFor(pool: string): Promise<PoolReport>;
  /**
   * The same service also listening on HTTPS (a test-only self-signed certificate for
   * `telemetry.contoso.test`, test/e2e/tls/), as a host a TelemetryEndpoint can name; the port.
   */
  listenHttps(): Promise<number>;
  stop(): Promise<void>;
  /**
   * Every request the server answered, beacons sent while a page closes included (the browser's
   * own request events can miss those).
   */
  received: ReceivedRequest[];
  /**
   * Runs `hook` on every request once its body is parsed, before its route answers (and waits for
   * it), until the returned function is called: a flow that plays the network between pages sees
   * the signalling go by with it.
   */
  beforeRoute(hook: (request: { method: string; url: string; body: unknown }) => void | Promise<void>): () => void;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  host: string;
  status: number;
  body: string;
}

export const isTelemetryHit = (r: ReceivedRequest) => r.url.startsWith('/telemetry/');

/**
 * `distDir` (default dist/) and `rateLimitPerMinute` let a spec serve a changed build or fuzz hard;
 * `turnSecret` is TURN_SECRET (coturn's static-auth-secret) for a flow that relays its call.
 */
export async function startPoolServer(
  options: { distDir?: string; rateLimitPerMinute?: number; desktopAppLaunch?: boolean; turnSecret?: string } = {},
): Promise<PoolServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-e2e-'));
  const db = openDatabase(dataDir);
  const store = sqliteStore(db, dataDir);
  await seedDemoIfEmpty(store.sql);
  if (options.desktopAppLaunch === false) {
    // Headless Chromium has no app for conf: links, and a launch it cannot finish stays a pending
    // navigation that stalls later actions; flows that are not about the app start without it.
    await putDocument(store.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, AutoLaunchDesktopClient: false });
  }
  const app = await buildApp({
    store,
    secret: loadOrCreateSecret(dataDir),
    distDir: options.distDir ?? path.join(ROOT, 'dist'),
    rateLimitPerMinute: options.rateLimitPerMinute,
    turnSecret: options.turnSecret,
  });
  const received: ReceivedRequest[] = [];
  const beforeRoute = new Set<(request: { method: string; url: string; body: unknown }) => void | Promise<void>>();
  app.addHook('preHandler', async (request) => {
    for (const hook of beforeRoute) await hook({ method: request.method, url: request.url, body: request.body });
  });
  app.addHook('onResponse', async (request, reply) => {
    const body = request.body === undefined ? '' : JSON.stringify(request.body);
    received.push({ method: request.method, url: request.url, host: request.hostname, status: reply.statusCode, body });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  let tls: https.Server | undefined;

  const admin = async (...args: string[]): Promise<AdminResult> => {
    try {
      const { stdout, stderr } = await run(TSX, ['src/server/admin/cli.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };
  const report = async (): Promise<PoolReport[]> => {
    const result = await admin('report', '--json');
    if (result.code !== 0) throw new Error(`admin report failed: ${result.stderr}`);
    return (JSON.parse(result.stdout) as { pools: PoolReport[] }).pools;
  };

  return {
    port,
    dataDir,
    received,
    beforeRoute(hook) {
      beforeRoute.add(hook);
      return () => beforeRoute.delete(hook);
    },
    url: (pathAndQuery, host = '127.0.0.1') => `http://${host}:${port}${pathAndQuery}`,
    admin,
    report,
    async reportFor(pool) {
      const entry = (await report()).find((p) => p.pool === pool);
      if (!entry) throw new Error(`no report entry for ${pool}`);
      return entry;
    },
    async listenHttps() {
      const tlsDir = path.join(ROOT, 'test/e2e/tls');
      const options = {
        key: fs.readFileSync(path.join(tlsDir, 'test-only.key')),
        cert: fs.readFileSync(path.join(tlsDir, 'test-only.crt')),
      };
      const server = https.createServer(options, (request, response) => app.routing(request, response));
      tls = server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as { port: number }).port;
    },
    async stop() {
      // A socket the browser opened ahead of time and never used would hold close() until the
      // server's headers timeout (60 s); the test is over, so cut every connection.
      tls?.closeAllConnections();
      tls?.close();
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LoggedRequest {
  url: string;
  method: string;
  body: string | null;
  /** Made by the service worker (its precache or its own fetch), not by a page. */
  byServiceWorker: boolean;
}

/** Every request any page, worker or beacon of the context makes, in order. */
export function recordRequests(context: BrowserContext): LoggedRequest[] {
  const log: LoggedRequest[] = [];
  context.on('request', (request: Request) => {
    log.push({
      url: request.url(),
      method: request.method(),
      body: request.postData(),
      byServiceWorker: request.serviceWorker() !== null,
    });
  });
  return log;
}

export const isTelemetryRequest = (r: LoggedRequest) => new URL(r.url).pathname.startsWith('/telemetry/');

let telemetryFiles: Set<string> | undefined;
/**
 * The built files of the telemetry client and what only it imports, as `/assets/...` paths, read
 * from Vite's manifest of the build under test (not guessed from file names, so a renamed chunk
 * cannot make "no telemetry code loaded" pass by matching nothing).
 */
export function telemetryChunkPaths(): Set<string> {
  if (!telemetryFiles) {
    const manifestFile = path.join(ROOT, 'dist/.vite/manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ViteManifest;
    telemetryFiles = new Set([...telemetryOnlyFiles(manifest)].map((file) => `/${file}`));
    if (telemetryFiles.size === 0) throw new Error(`no telemetry chunk in ${manifestFile}`);
  }
  return telemetryFiles;
}
export const isTelemetryChunk = (r: LoggedRequest) => telemetryChunkPaths().has(new URL(r.url).pathname);

/** What the page keeps on this device: storage keys, IndexedDB databases, cookies. */
export async function storageSnapshot(page: Page) {
  const inPage = await page.evaluate(async () => ({
    localStorage: Object.keys(localStorage),
    sessionStorage: Object.keys(sessionStorage),
    indexedDB: (await indexedDB.databases()).map((d) => d.name ?? ''),
  }));
  return { ...inPage, cookies: (await page.context().cookies()).map((c) => c.name) };
}

/** Opens a page and waits until the app has shown the launcher or an error. */
export async function openMeeting(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('[data-testid="launcher"], [data-testid="error"]')).toBeVisible();
}

/** Launcher → join in browser → name → in the meeting. */
export async function joinAsGuest(page: Page, name = 'Test Guest'): Promise<void> {
  await page.getByTestId('join-web').click();
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join-submit').click();
}

export const test = base.extend<{
  /** Whether the seeded Global config tries the desktop app (product default); off unless a spec asks. */
  desktopAppLaunch: boolean;
  pool: PoolServer;
  requests: LoggedRequest[];
  // biome-ignore lint/suspicious/noConfusingVoidType: Playwright types a value-less fixture as void
  failOnPageError: void;
  /**
   * Stubs external launches (`conf:`, `tel:` ...) in the test's context; other contexts of the test
   * join with `launchGuard.watch(context)`. Fails the test if a launch happened that it did not ask for.
   */
  launchGuard: ExternalLaunches;
  /** The external launches the test's pages started, in order; asking for it allows them. */
  externalLaunches: string[];
}>({
  desktopAppLaunch: [false, { option: true }],
  launchGuard: [
    async ({ context }, use) => {
      const launches = new ExternalLaunches();
      await launches.watch(context);
      await use(launches);
      if (!launches.claimed) {
        expect(launches.urls, 'external launches (conf:, tel: ...) in a flow that did not ask for them').toEqual([]);
      }
    },
    { auto: true },
  ],
  externalLaunches: async ({ launchGuard, browserName }, use, testInfo) => {
    // Firefox fires no Navigation API `navigate` event for a navigation to another program's
    // scheme (checked on 153 ESR): there the suite can neither stub the launch nor see it.
    testInfo.skip(browserName === 'firefox', 'Firefox does not show an external launch (conf:, tel:) to the page');
    launchGuard.claimed = true;
    await use(launchGuard.urls);
  },
  pool: async ({ desktopAppLaunch }, use) => {
    const server = await startPoolServer({ desktopAppLaunch });
    await use(server);
    await server.stop();
  },
  requests: async ({ context }, use) => {
    await use(recordRequests(context));
  },
  failOnPageError: [
    async ({ context }, use) => {
      const errors: string[] = [];
      context.on('weberror', (error) => errors.push(error.error().message));
      await use();
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * For an `expect.poll` whose every look reads the report: the admin CLI runs from the sources
 * through tsx, one process per read (5-10 s alone, more on a loaded machine), so a poll needs room
 * for several reads. A deadline, not a speed check.
 */
export const REPORT_POLL = { timeout: 90_000 } as const;

export { expect };
