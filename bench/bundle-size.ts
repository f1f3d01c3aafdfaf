/**
 * Sizes from dist/: the launcher's critical path (index.html, the CSS and JS it references, and
 * anything it preloads) and the lazy chunks, gzip level 9.
 *
 * Why not size-limit: its budgets are per file, while ours is a path (the page with the data the
 * server puts into it, plus what that page loads before painting), measured as served in
 * lighthouse.ts; this bench and that one already fail past a budget in `npm run bench`, and a
 * second tool would be a second, weaker copy of the same numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from './figure';

const DIST = path.resolve('dist');
const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => Math.round((bytes / 1024) * 100) / 100;

export function criticalPathFiles(): string[] {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css|json))"/g)].map((m) => m[1] as string);
  return [path.join(DIST, 'index.html'), ...new Set(refs.map((ref) => path.join(DIST, ref)))];
}

/** The lazy chunk whose file name starts with the given module name (Vite names chunks so). */
function chunk(prefix: string): string | undefined {
  const assets = path.join(DIST, 'assets');
  const name = fs.readdirSync(assets).find((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));
  return name && path.join(assets, name);
}

/**
 * A chunk that has a budget: missing means a rename or a split moved the code elsewhere, and a
 * budget that silently measures nothing is worse than none, so the bench fails.
 */
function budgetedChunk(prefix: string): string {
  const file = chunk(prefix);
  if (!file) throw new Error(`no chunk named ${prefix}-*.js in dist/assets: its budget would measure nothing`);
  return file;
}

export async function run(): Promise<Figure[]> {
  const critical = criticalPathFiles().reduce((sum, file) => sum + gz(file), 0);
  const figures: Figure[] = [
    { name: 'launcher critical path (gzip)', value: kb(critical), unit: 'KB', budget: { atMost: 14 } },
  ];
  const shell = budgetedChunk('Shell');
  figures.push({ name: 'meetings shell chunk (gzip)', value: kb(gz(shell)), unit: 'KB', budget: { atMost: 30 } });
  // The media code (devices, peer connections, signalling) is its own chunk, loaded on the prejoin.
  const media = budgetedChunk('media');
  figures.push({ name: 'media chunk (gzip)', value: kb(gz(media)), unit: 'KB', budget: { atMost: 10 } });
  const mediaInShell = /RTCPeerConnection|getUserMedia/.test(fs.readFileSync(shell, 'utf8')) ? 1 : 0;
  figures.push({ name: 'WebRTC code in the shell chunk', value: mediaInShell, unit: '', budget: { atMost: 0 } });
  const telemetry = budgetedChunk('client');
  figures.push({ name: 'telemetry chunk (gzip)', value: kb(gz(telemetry)), unit: 'KB', budget: { atMost: 8 } });
  // The attendees' privacy notice: loaded only when `privacy-link` is pressed, with its words.
  const privacy = budgetedChunk('privacy-chunk');
  figures.push({ name: 'privacy notice chunk (gzip)', value: kb(gz(privacy)), unit: 'KB', budget: { atMost: 3 } });
  const noticeWords = fs
    .readdirSync(path.join(DIST, 'assets'))
    .filter((f) => /^notice-[a-z]{2}-[A-Z]{2}-[\w-]+\.js$/.test(f))
    .map((f) => gz(path.join(DIST, 'assets', f)));
  if (noticeWords.length)
    figures.push({
      name: 'largest privacy notice words chunk (gzip)',
      value: kb(Math.max(...noticeWords)),
      unit: 'KB',
    });
  // Off the critical path (loaded after the launcher painted), reported so growth is visible.
  const registration = chunk('registration');
  if (registration)
    figures.push({ name: 'service-worker registration chunk (gzip)', value: kb(gz(registration)), unit: 'KB' });
  const worker = path.join(DIST, 'sw.js');
  if (fs.existsSync(worker)) figures.push({ name: 'service worker script (gzip)', value: kb(gz(worker)), unit: 'KB' });
  return figures;
}
