/**
 * A production host installs runtime dependencies only (`npm ci --omit=dev`) and runs the build.
 * - The server bundle and bin/ import nothing but Node's modules and package.json `dependencies`.
 * - Every package `npm ci --omit=dev` installs allows the Node version package.json states (no
 *   EBADENGINE on Node 20): the lock's non-dev entries, overrides applied.
 * - The service and the admin command run from a folder holding exactly those packages.
 * - The overridden cookie / content-disposition still do their job for Fastify.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import semver from 'semver';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BuiltInstall, buildInstall, PACKAGE, ROOT } from '../support/server-build';

const run = promisify(execFile);
const LOCK = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; engines?: { node?: string } }>;
};
/** What `npm ci --omit=dev` installs: every lock entry not marked dev. */
const RUNTIME_ENTRIES = Object.entries(LOCK.packages).filter(([where, entry]) => where !== '' && !entry.dev);

let install: BuiltInstall;
let child: ChildProcess | undefined;

beforeAll(() => {
  install = buildInstall({ bare: true });
  // The runtime packages only, hard-linked (a symlink would resolve back into the full node_modules).
  for (const [where] of RUNTIME_ENTRIES) {
    if (where.split('node_modules/').length !== 2) continue; // nested ones come with their parent
    const target = path.join(install.root, where);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    execFileSync('cp', ['-al', path.join(ROOT, where), target]);
  }
}, 120_000);
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  install?.cleanup();
});

/** The bare package names a built file imports (static and dynamic, string specifiers). */
function importedPackages(file: string): Set<string> {
  const code = fs.readFileSync(file, 'utf8');
  const names = new Set<string>();
  // esbuild writes external imports as whole lines at the top, dynamic ones as import("x").
  const patterns = [
    /^import\s[^;]*?\bfrom\s*["']([^"']+)["'];?$/gm,
    /^import\s*["']([^"']+)["'];?$/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\b__require\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const match of patterns.flatMap((pattern) => [...code.matchAll(pattern)])) {
    const specifier = match[1] as string;
    if (specifier.startsWith('.') || specifier.startsWith('/')) continue;
    if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
  }
  return names;
}

it('the server bundle and bin/ import only Node modules and runtime dependencies', () => {
  const built = fs.readdirSync(path.join(install.root, 'dist-server')).filter((f) => f.endsWith('.js'));
  expect(built.sort()).toEqual(['admin.js', 'serve.js']);
  const imported = new Set<string>();
  for (const file of built)
    for (const name of importedPackages(path.join(install.root, 'dist-server', file))) imported.add(name);
  expect(imported.size).toBeGreaterThan(3); // the scan sees the externals (fastify, pg, better-sqlite3...)
  for (const name of imported)
    expect(Object.keys(PACKAGE.dependencies), `${name} is imported at runtime`).toContain(name);
  for (const file of fs.readdirSync(path.join(ROOT, 'bin')))
    expect([...importedPackages(path.join(ROOT, 'bin', file))], file).toEqual([]);
  // tsx runs the sources (npm start, npm run admin), never the build.
  expect(PACKAGE.dependencies).not.toHaveProperty('tsx');
});

it('every package a runtime-only install gets allows the stated Node version', () => {
  const minimum = semver.minVersion(PACKAGE.engines.node)?.version as string;
  expect(minimum).toBe('20.19.0');
  const refused = RUNTIME_ENTRIES.filter(([, entry]) => {
    const wanted = entry.engines?.node;
    return wanted !== undefined && !semver.satisfies(minimum, wanted);
  }).map(([where, entry]) => `${where}@${entry.version} wants node ${entry.engines?.node}`);
  expect(refused).toEqual([]);
});

it('npm run serve and the admin command run with runtime dependencies only', async () => {
  const dataDir = path.join(install.root, 'data');
  const distDir = path.join(install.root, 'dist');
  fs.mkdirSync(distDir);
  fs.writeFileSync(path.join(distDir, 'index.html'), '<!doctype html><title>Join meeting</title>');
  const env = { ...process.env, DATA_DIR: dataDir, DIST_DIR: distDir, PORT: '0', HOST: '127.0.0.1', NODE_PATH: '' };
  const bin = path.join(install.root, 'bin/meet-launcher.mjs');
  expect((await run(process.execPath, [bin, 'init'], { env, cwd: install.root })).stdout).toMatch(
    /^Created an empty store/,
  );
  const proc = spawn(process.execPath, [path.join(install.root, 'bin/serve.mjs')], { env, cwd: install.root });
  child = proc;
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /pool web service on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  expect((await fetch(`http://127.0.0.1:${port}/`, { headers: { host: 'nowhere.test' } })).status).toBe(404);
}, 60_000);

it('cookies (light-my-request) and downloads (@fastify/static) work with the Node 20 versions', async () => {
  const app = Fastify();
  await app.register(fastifyStatic, { root: ROOT, serve: false });
  app.get('/cookie', async (request) => ({ cookie: request.headers.cookie }));
  app.get('/download', (_request, reply) => reply.download('package.json', 'réunion notes.json'));
  const echoed = await app.inject({ url: '/cookie', cookies: { ML_NODE: 'node-a', b: 'x y' } });
  expect(echoed.json()).toEqual({ cookie: 'ML_NODE=node-a; b=x%20y' });
  const download = await app.inject({ url: '/download' });
  expect(download.headers['content-disposition']).toBe(
    `attachment; filename="r?union notes.json"; filename*=UTF-8''r%C3%A9union%20notes.json`,
  );
  await app.close();
});
