/**
 * Production flows: `npm run serve` from the build on an empty DATA_DIR, the built admin CLI, a
 * certificate made with openssl for the test, and a Chromium that resolves the pool's web host
 * (port 443 in the printed links) to the test's port and trusts that certificate.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './browser';

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Served {
  port: number;
  dataDir: string;
  output(): string;
  /** The built admin CLI (`dist-server/admin.js`) on this DATA_DIR; throws with its stderr on failure. */
  admin(...args: string[]): Promise<string>;
  /** SIGTERM to npm and the server (one process group); resolves once npm is gone. */
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
    async stop() {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Certificate {
  dir: string;
  certFile: string;
  keyFile: string;
  /** base64 SHA-256 of the public key, for Chromium's --ignore-certificate-errors-spki-list. */
  spki: string;
}

/** A self-signed certificate for these host names, made with openssl for this test only. */
export function makeCertificate(hosts: string[]): Certificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-tls-'));
  const certFile = path.join(dir, 'fullchain.pem');
  const keyFile = path.join(dir, 'privkey.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      `/CN=${hosts[0]}`,
      '-addext',
      `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
    ],
    { stdio: 'ignore' },
  );
  const publicKey = execFileSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
  const spki = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
  return { dir, certFile, keyFile, spki };
}

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
