/**
 * Certificates renewed without a restart (src/server/tls-reload.ts, hooked into serve.ts): with two
 * certificates made by openssl for this test, a renewal on disk or a SIGHUP puts the new one on
 * every new connection, while an HTTP/2 session and an open stream made before go on; a pair that
 * does not load is refused and the one in use stays.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http2 from 'node:http2';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { reloadCertificatesOnChange } from '../../src/server/tls-reload';
import { makeCertificate } from '../support/certificate';

let dir: string;
const madeDirs: string[] = [];
let server: http2.Http2SecureServer;
let port: number;
let stopReload: (() => void) | undefined;
const sessions: http2.ClientHttp2Session[] = [];
const logged: { level: string; message: string }[] = [];
const reloads: { ok: boolean; reason: string }[] = [];
const log = {
  info: (_fields: object, message: string) => logged.push({ level: 'info', message }),
  error: (_fields: object, message: string) => logged.push({ level: 'error', message }),
};

/** A test certificate for `<name>.contoso.test` (test/support/certificate.ts), with its fingerprint. */
function certificate(name: string): { cert: string; key: string; fingerprint: string } {
  const made = makeCertificate([`${name}.contoso.test`]);
  madeDirs.push(made.dir);
  return {
    cert: made.certFile,
    key: made.keyFile,
    fingerprint: new X509Certificate(fs.readFileSync(made.certFile)).fingerprint256,
  };
}

/** Replaces a file as renewal tools do: a new file renamed over the old one. */
function renew(target: string, from: string): void {
  fs.copyFileSync(from, `${target}.new`);
  fs.renameSync(`${target}.new`, target);
}

/** The certificate a new TLS connection is given. */
function certificateOfNewConnection(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['h2'] }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 as string);
      socket.end();
    });
    socket.on('error', reject);
  });
}

function get(session: http2.ClientHttp2Session, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': urlPath });
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      body += chunk;
    });
    stream.on('end', () => resolve(body));
    stream.on('error', reject);
  });
}

let a: ReturnType<typeof certificate>;
let b: ReturnType<typeof certificate>;
let live: { certFile: string; keyFile: string };
let openStream: http2.ServerHttp2Stream | undefined;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-tls-reload-'));
  a = certificate('first');
  b = certificate('second');
  live = { certFile: path.join(dir, 'fullchain.pem'), keyFile: path.join(dir, 'privkey.pem') };
  fs.copyFileSync(a.cert, live.certFile);
  fs.copyFileSync(a.key, live.keyFile);
  logged.length = 0;
  reloads.length = 0;
  server = http2.createSecureServer({ cert: fs.readFileSync(live.certFile), key: fs.readFileSync(live.keyFile) });
  server.on('stream', (stream, headers) => {
    if (headers[':path'] === '/events') {
      openStream = stream;
      stream.respond({ ':status': 200 });
      stream.write('first event\n');
    } else {
      stream.respond({ ':status': 200 });
      stream.end('ok');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterEach(async () => {
  stopReload?.();
  stopReload = undefined;
  for (const session of sessions.splice(0)) session.destroy();
  openStream = undefined;
  await new Promise((resolve) => server.close(resolve));
  for (const folder of [dir, ...madeDirs.splice(0)]) fs.rmSync(folder, { recursive: true, force: true });
});

it('a renewal on disk reaches new connections, while a session and a stream opened before go on', async () => {
  stopReload = reloadCertificatesOnChange(server, live, log, {
    pollMs: 20,
    settleMs: 50,
    onReload: (r) => reloads.push(r),
  });
  const session = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
  sessions.push(session);
  const events = session.request({ ':path': '/events' });
  events.setEncoding('utf8');
  let received = '';
  events.on('data', (chunk) => {
    received += chunk;
  });
  await expect.poll(() => received).toBe('first event\n');
  expect(await certificateOfNewConnection()).toBe(a.fingerprint);

  renew(live.keyFile, b.key);
  renew(live.certFile, b.cert);
  await expect.poll(() => reloads).toEqual([{ ok: true, reason: 'files changed' }]);
  expect(logged).toEqual([
    { level: 'info', message: expect.stringMatching(/^TLS certificate reloaded \(files changed\), valid to /) },
  ]);
  expect(await certificateOfNewConnection()).toBe(b.fingerprint);

  // The session made before is still the first certificate's, and still works; its stream too.
  expect(session.closed).toBe(false);
  expect((session.socket as tls.TLSSocket).getPeerX509Certificate()?.fingerprint256).toBe(a.fingerprint);
  expect(await get(session, '/')).toBe('ok');
  openStream?.write('after the renewal\n');
  await expect.poll(() => received).toBe('first event\nafter the renewal\n');
});

it('SIGHUP reloads at once; a pair that does not load is refused and the one in use stays', async () => {
  stopReload = reloadCertificatesOnChange(server, live, log, { pollMs: 60_000, onReload: (r) => reloads.push(r) });
  fs.copyFileSync(b.cert, live.certFile);
  fs.copyFileSync(b.key, live.keyFile);
  process.emit('SIGHUP', 'SIGHUP');
  expect(reloads).toEqual([{ ok: true, reason: 'SIGHUP' }]);
  expect(await certificateOfNewConnection()).toBe(b.fingerprint);

  fs.copyFileSync(a.key, live.keyFile); // the first key with the second certificate: a mismatch
  process.emit('SIGHUP', 'SIGHUP');
  expect(reloads.at(-1)).toEqual({ ok: false, reason: 'SIGHUP' });
  expect(logged.at(-1)).toEqual({
    level: 'error',
    message: expect.stringMatching(/^TLS certificate not reloaded \(SIGHUP\): .*; keeping the one in use$/),
  });
  expect(await certificateOfNewConnection()).toBe(b.fingerprint);
});

it('without TLS files, SIGHUP is logged and ignored (a reload never stops the service); stopping removes the handlers', () => {
  const before = process.listenerCount('SIGHUP');
  const stop = reloadCertificatesOnChange(server, undefined, log);
  expect(process.listenerCount('SIGHUP')).toBe(before + 1);
  process.emit('SIGHUP', 'SIGHUP');
  expect(logged).toEqual([{ level: 'info', message: 'SIGHUP: no TLS files to reload' }]);
  stop();
  expect(process.listenerCount('SIGHUP')).toBe(before);
});
