/**
 * Lighthouse (mobile, default simulated throttling) on the launcher, served by the real pool web
 * service on a temp DATA_DIR and driven against the same Chromium the e2e tests use. Also measures
 * the critical path as actually served for a meeting link: HTML (with its preloads), CSS, entry JS,
 * the preloaded config and meeting lookup, counted as the bytes the server puts on the wire for a
 * client that accepts gzip (and, for reference, Brotli).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import { seedDemoIfEmpty } from '../src/server/demo/seed';
import { buildApp } from '../src/server/http/app';
import { loadOrCreateSecret } from '../src/server/secrets/secret';
import { openDatabase } from '../src/server/sql/sqlite-db';
import { sqliteStore } from '../src/server/sql/store';
import { CHROMIUM_ARGS, findChromium, NO_BROWSER_HELP } from '../test/e2e/browser';
import type { Figure } from './figure';

const LINK = '/alice/7Q3DSSYV';
const LIGHTHOUSE_CLI = path.resolve('node_modules/lighthouse/cli/index.js');

/** Lighthouse runs per bench; every Lighthouse figure is the median of these. */
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Report {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { id: string; score: number | null; scoreDisplayMode: string; numericValue?: number }>;
}

/**
 * Lighthouse runs in plain Node, in its own process: under tsx its in-page functions would be
 * serialized with esbuild's name helpers, which do not exist in the page.
 */
async function lighthouseReport(url: string, port: number): Promise<Report> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      LIGHTHOUSE_CLI,
      url,
      `--port=${port}`,
      '--output=json',
      '--output-path=stdout',
      '--only-categories=performance,accessibility,best-practices',
      '--form-factor=mobile',
      '--quiet',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Report;
}

/** The body's size on the wire (before any decoding) for a client that accepts `encoding`. */
function wireBytes(url: string, encoding: 'gzip' | 'br'): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': encoding } }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on('end', () => resolve(bytes));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function servedCriticalPath(origin: string): Promise<{ gzip: number; br: number; files: string[] }> {
  const html = await (await fetch(`${origin}${LINK}`)).text();
  // Everything the HTML makes the browser fetch before the first paint: script, stylesheet, preloads.
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="(\/[^"]+)"[^>]*>/g)]
    .filter((m) => !/rel="icon"/.test(m[0]))
    .map((m) => m[1] as string);
  const files = [LINK, ...new Set(refs)];
  let gzip = 0;
  let br = 0;
  for (const file of files) {
    gzip += await wireBytes(`${origin}${file}`, 'gzip');
    br += await wireBytes(`${origin}${file}`, 'br');
  }
  return { gzip, br, files };
}

/** The largest message catalog: fetched right after the entry runs, before the first words show. */
function largestCatalog(): number {
  const assets = path.resolve('dist/assets');
  const sizes = fs
    .readdirSync(assets)
    .filter((f) => /^[a-z]{2}-[A-Z]{2}-[\w-]+\.js$/.test(f))
    .map((f) => gzipSync(fs.readFileSync(path.join(assets, f)), { level: 9 }).length);
  return Math.round((Math.max(0, ...sizes) / 1024) * 100) / 100;
}

/** How long after the first contentful paint the largest one may come. */
const LCP_AFTER_FCP_BUDGET_MS = 150;
const numeric = (report: Report, id: string) => report.audits[id]?.numericValue ?? 0;

export async function run(): Promise<Figure[]> {
  const chromePath = findChromium();
  if (!chromePath) throw new Error(NO_BROWSER_HELP);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-lighthouse-'));
  const db = openDatabase(dataDir);
  const store = sqliteStore(db, dataDir);
  await seedDemoIfEmpty(store.sql);
  const app = await buildApp({ store, secret: loadOrCreateSecret(dataDir), distDir: path.resolve('dist') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const chrome = await chromeLauncher.launch({
    chromePath,
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
  });
  try {
    const critical = await servedCriticalPath(origin);
    // Lighthouse's simulated timings vary from run to run with the machine's own speed (its
    // observed main-thread work feeds the simulation): each figure is the median of RUNS runs,
    // as Lighthouse's own guidance on variability recommends.
    const lhrs: Report[] = [];
    for (let i = 0; i < RUNS; i++) lhrs.push(await lighthouseReport(`${origin}${LINK}`, chrome.port));
    const each = (id: string) => lhrs.map((r) => Math.round(r.audits[id]?.numericValue ?? 0)).join(', ');
    const lhr = lhrs[0] as Report;
    const score = (id: string) => median(lhrs.map((r) => Math.round((r.categories[id]?.score ?? 0) * 100)));
    const failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
      .map((a) => a.id);
    const note = failing.length ? `failing audits: ${failing.join(', ')}` : undefined;
    const ms = (id: string) => median(lhrs.map((r) => Math.round(r.audits[id]?.numericValue ?? 0)));
    if (process.env.LIGHTHOUSE_REPORT) fs.writeFileSync(process.env.LIGHTHOUSE_REPORT, JSON.stringify(lhr));
    return [
      {
        name: 'launcher critical path as served (gzip)',
        value: Math.round((critical.gzip / 1024) * 100) / 100,
        unit: 'KB',
        budget: { atMost: 14 },
        note: critical.files.join(' + '),
      },
      {
        name: 'launcher critical path as served (Brotli)',
        value: Math.round((critical.br / 1024) * 100) / 100,
        unit: 'KB',
      },
      { name: 'largest message catalog, fetched after the entry (gzip)', value: largestCatalog(), unit: 'KB' },
      { name: 'Lighthouse mobile performance', value: score('performance'), unit: '', budget: { atLeast: 98 }, note },
      { name: 'Lighthouse mobile accessibility', value: score('accessibility'), unit: '', budget: { atLeast: 100 } },
      { name: 'Lighthouse mobile best practices', value: score('best-practices'), unit: '', budget: { atLeast: 100 } },
      { name: 'Lighthouse first contentful paint (simulated)', value: ms('first-contentful-paint'), unit: 'ms' },
      {
        name: `Lighthouse largest contentful paint (simulated, median of ${RUNS})`,
        value: ms('largest-contentful-paint'),
        unit: 'ms',
        note: `runs: ${each('largest-contentful-paint')} ms; reported only: the machine's speed moves it run to run`,
      },
      {
        // The first response carries what the first screen needs (src/shared/boot.ts): the
        // largest paint comes with the first one, not after a later request. Measured against the
        // first paint of the same run, the machine's speed (which moves both) cancels out.
        name: `Lighthouse largest contentful paint after the first paint (simulated, median of ${RUNS})`,
        value: median(
          lhrs.map((r) => Math.round(numeric(r, 'largest-contentful-paint') - numeric(r, 'first-contentful-paint'))),
        ),
        unit: 'ms',
        budget: { atMost: LCP_AFTER_FCP_BUDGET_MS },
      },
      { name: 'Lighthouse total blocking time (simulated)', value: ms('total-blocking-time'), unit: 'ms' },
    ];
  } finally {
    await chrome.kill();
    await app.close();
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
