/**
 * The server bundle as `npm run build:server` makes it, into a folder of the test's own (the same
 * esbuild line, read from package.json, with only the output folder changed), beside a copy of
 * bin/ and a link to node_modules: what a production install holds, without touching dist-server/.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides?: Record<string, unknown>;
};

export interface BuiltInstall {
  root: string;
  cleanup(): void;
}

/** A folder with package.json, bin/ and dist-server/ (built now); node_modules linked unless `bare`. */
export function buildInstall(options: { bare?: boolean; env?: Record<string, string> } = {}): BuiltInstall {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-install-'));
  const script = PACKAGE.scripts['build:server'] as string;
  if (!script.includes('--outdir=dist-server')) throw new Error('build:server no longer writes to dist-server');
  execSync(script.replace('--outdir=dist-server', `--outdir=${path.join(root, 'dist-server')}`), {
    cwd: ROOT,
    env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`, ...options.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  fs.cpSync(path.join(ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  if (!options.bare) fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  return { root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}
