/**
 * The HTTP server against raw sockets: timeouts are on, a refusal of an unread body closes the
 * connection (its descriptor is freed), and answers from Node's own parser carry the security
 * headers and our JSON, never the input.
 */
import fs from 'node:fs';
import net from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  DEFAULT_TRANSPORT_LIMITS,
  HEADERS_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
  SOCKET_IDLE_TIMEOUT_MS,
} from '../../src/server/http-limits';
import { startTestApp, type TestApp } from '../support/security-app';

let t: TestApp;
let port: number;
beforeEach(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
});
afterEach(() => t.close());

/** Sends raw bytes; resolves with everything read once the server closes the connection. */
function exchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

it.each([
  ['plain HTTP', false],
  ['TLS (HTTP/2 and HTTP/1.1)', true],
])('turns every timeout on over %s, checked every second', async (_name, secure) => {
  const tls = secure
    ? { key: fs.readFileSync('test/e2e/tls/test-only.key'), cert: fs.readFileSync('test/e2e/tls/test-only.crt') }
    : undefined;
  const own = secure ? await startTestApp({ tls }) : t;
  try {
    const server = own.app.server as typeof own.app.server & { connectionsCheckingInterval: number };
    expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    expect(server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(server.timeout).toBe(SOCKET_IDLE_TIMEOUT_MS);
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(server.connectionsCheckingInterval).toBe(1_000);
  } finally {
    if (own !== t) await own.close();
  }
});

/** The first number of seconds (or the first number) in the row of docs/security.md's limits table that starts with `label`. */
function readmeFigure(label: string): number {
  const doc = fs.readFileSync('docs/security.md', 'utf8');
  const row = doc.split('\n').find((line) => line.startsWith(`| ${label}`));
  const cell = row?.split('|')[2] ?? '';
  const figure = /(\d[\d,]*)/.exec(cell)?.[1];
  if (figure === undefined) throw new Error(`no docs/security.md row "${label}" with a figure`);
  return Number(figure.replaceAll(',', ''));
}

it('has the production deadlines and caps docs/security.md states, the keep-alive past a balancer (60 s)', () => {
  const d = DEFAULT_TRANSPORT_LIMITS;
  expect(readmeFigure('request head (headers) must arrive within') * 1000).toBe(d.headersTimeoutMs);
  expect(readmeFigure('whole request, body included, within') * 1000).toBe(d.requestTimeoutMs);
  expect(readmeFigure('connection or HTTP/2 stream with nothing moving') * 1000).toBe(d.socketIdleTimeoutMs);
  expect(readmeFigure('idle keep-alive connection kept') * 1000).toBe(d.keepAliveTimeoutMs);
  expect(readmeFigure('deadlines checked') * 1000).toBe(d.checkIntervalMs);
  expect(readmeFigure('open connections per client address')).toBe(d.maxConnectionsPerAddress);
  expect(readmeFigure('streams open at once on one HTTP/2 connection')).toBe(d.maxConcurrentStreams);
  expect(d.keepAliveTimeoutMs).toBeGreaterThan(60_000);
  expect(d.headersTimeoutMs).toBeLessThanOrEqual(d.requestTimeoutMs);
});

it('closes the connection after refusing a body it did not read (403 while telemetry is off)', async () => {
  // Half a body is sent and the rest never comes: without the close, this socket stays open.
  const answer = await exchange(
    'POST /telemetry/v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"v":1,',
  );
  expect(answer).toMatch(/^HTTP\/1\.1 403 /);
  expect(answer.toLowerCase()).toContain('connection: close');
});

it.each([
  ['a malformed request line', 'NOT HTTP AT ALL\r\n\r\n', 400],
  ['headers too large', `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
])('answers %s with the security headers and our own words', async (_name, bytes, status) => {
  const answer = await exchange(bytes);
  const [head, body] = answer.split('\r\n\r\n');
  expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  const lower = head?.toLowerCase() ?? '';
  for (const header of ['content-security-policy', 'x-content-type-options: nosniff', 'x-frame-options: deny']) {
    expect(lower).toContain(header);
  }
  expect(JSON.parse(body ?? '')).toHaveProperty('code');
  expect(answer).not.toContain('AT ALL');
});
