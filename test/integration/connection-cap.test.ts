/**
 * One address cannot take every descriptor: past the per-address cap its connections are closed at
 * once, on plain HTTP/1.1, HTTPS/1.1 and HTTP/2, while a bystander on another address gets every
 * request answered. The server runs in its own process: its descriptors (/proc/<pid>/fd) and RSS
 * are measured while attacked. Behind a trusted proxy the proxy's own connections are not capped;
 * the forwarded client's open requests are.
 */
import http from 'node:http';
import type http2 from 'node:http2';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectHttp1,
  connectHttp2,
  startTransportServer,
  TRANSPORTS,
  type Transport,
  type TransportServer,
} from '../support/transport-clients';

const LOOKUP_PATH = '/api/v1/meetings/alice/7Q3DSSYV';
const JOIN_PATH = '/api/v1/meetings/alice/7Q3DSSYV/participants';

let server: TransportServer | undefined;
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await server?.stop();
  server = undefined;
});

interface Slow {
  /** Whether the server closed it. */
  closed: () => boolean;
}

/** An HTTP/2 POST whose body never comes (one byte of 1,000), held until the deadline. */
function slowStream(session: http2.ClientHttp2Session): http2.ClientHttp2Stream {
  const stream = session.request({
    ':method': 'POST',
    ':path': JOIN_PATH,
    'content-type': 'application/json',
    'content-length': '1000',
  });
  stream.on('error', () => {});
  stream.write('{');
  return stream;
}

/** A POST whose body never comes (one byte of 1,000), holding its connection until the deadline. */
function slowPost(transport: Transport, port: number, localAddress: string): Slow {
  let closed = false;
  if (transport === 'h2') {
    const session = connectHttp2(port, localAddress);
    closers.push(() => session.destroy());
    session.once('close', () => {
      closed = true;
    });
    slowStream(session);
    return { closed: () => closed };
  }
  const socket: net.Socket = connectHttp1(transport, port, localAddress);
  closers.push(() => socket.destroy());
  socket.on('error', () => {});
  socket.once('close', () => {
    closed = true;
  });
  socket.write(
    `POST ${JOIN_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
  );
  return { closed: () => closed };
}

/** One lookup on a new connection, as a new page would: resolves with its status (0: failed). */
function lookup(transport: Transport, port: number, localAddress: string): Promise<number> {
  return new Promise((resolve) => {
    if (transport === 'h2') {
      const session: http2.ClientHttp2Session = connectHttp2(port, localAddress);
      const stream = session.request({ ':path': LOOKUP_PATH });
      stream.on('error', () => resolve(0));
      stream.once('response', (headers) => {
        stream.resume();
        stream.once('end', () => {
          session.close();
          resolve(Number(headers[':status']));
        });
      });
      session.once('close', () => resolve(0));
      return;
    }
    const socket = connectHttp1(transport, port, localAddress);
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', () => resolve(0));
    socket.once('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.write(`GET ${LOOKUP_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

describe.each(TRANSPORTS)('over %s', (transport) => {
  it('closes one address past its cap; another address is answered every time', { timeout: 60_000 }, async () => {
    const cap = 20;
    const attackers = 60;
    // The request deadline is lengthened so the slow connections are held while measured.
    server = await startTransportServer(transport, {
      transport: { maxConnectionsPerAddress: cap, requestTimeoutMs: 60_000, headersTimeoutMs: 60_000 },
    });
    const port = server.port;
    const before = await server.stats();
    const slow = Array.from({ length: attackers }, () => slowPost(transport, port, '127.0.0.2'));
    await expect.poll(() => slow.filter((s) => s.closed()).length, { timeout: 20_000 }).toBe(attackers - cap);
    const attacked = await server.stats();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push(await lookup(transport, port, '127.0.0.3'));
    expect(statuses).toEqual(Array(30).fill(200));
    // The held ones are still held: the cap closed only those past it.
    expect(slow.filter((s) => !s.closed()).length).toBe(cap);
    const fds = attacked.fds - before.fds;
    const rssMb = (attacked.rss - before.rss) / 1024 / 1024;
    console.log(
      `${transport}: ${attackers} slow POSTs from one address (cap ${cap}): +${fds} descriptors, +${rssMb.toFixed(1)} MB RSS; bystander 30/30 answered`,
    );
    expect(fds).toBeLessThanOrEqual(cap + 2);
  });
});

describe('over HTTP/2', () => {
  it("caps one address's open streams over all its connections; another address is answered", {
    timeout: 60_000,
  }, async () => {
    const cap = 20;
    server = await startTransportServer('h2', {
      transport: { maxConnectionsPerAddress: cap, requestTimeoutMs: 60_000, headersTimeoutMs: 60_000 },
    });
    const port = server.port;
    // Three connections (well inside the cap) of 15 slow POSTs each: 45 streams, 25 past the cap.
    const answers: number[] = [];
    for (let c = 0; c < 3; c++) {
      const session = connectHttp2(port, '127.0.0.2');
      closers.push(() => session.destroy());
      for (let i = 0; i < 15; i++) {
        const stream = slowStream(session);
        stream.once('response', (headers) => answers.push(Number(headers[':status'])));
      }
    }
    // The 25 past the cap are answered 429 at once; the 20 held get nothing (their body never comes).
    await expect.poll(() => answers.length, { timeout: 20_000 }).toBe(45 - cap);
    expect(answers).toEqual(Array(45 - cap).fill(429));
    for (let i = 0; i < 10; i++) expect(await lookup('h2', port, '127.0.0.3')).toBe(200);
    expect(answers).toHaveLength(45 - cap);
  });
});

describe('behind a trusted proxy', () => {
  /** A request through the "proxy" (127.0.0.1) for `client`, whose body never comes. */
  function slowForwarded(port: number, client: string): Promise<number> {
    return new Promise((resolve) => {
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: JOIN_PATH,
        agent: false,
        headers: { 'x-forwarded-for': client, 'content-type': 'application/json', 'content-length': '1000' },
      });
      request.on('response', (response) => resolve(response.statusCode ?? 0));
      request.on('error', () => resolve(0));
      request.write('{');
      closers.push(() => request.destroy());
    });
  }

  it("caps each forwarded client's open requests, never the proxy's own connections", { timeout: 30_000 }, async () => {
    server = await startTransportServer('http/1.1', {
      trustProxy: ['127.0.0.1'],
      transport: { maxConnectionsPerAddress: 5, requestTimeoutMs: 60_000 },
    });
    const port = server.port;
    // Twelve clients through the proxy: twelve connections from 127.0.0.1, none closed.
    const many = Array.from({ length: 12 }, (_, i) => slowForwarded(port, `10.0.0.${i + 1}`));
    // One forwarded client past its cap: 429 for the two over five.
    const one = Array.from({ length: 7 }, () => slowForwarded(port, '10.9.9.9'));
    const refused = await Promise.all(one.slice(5));
    expect(refused).toEqual([429, 429]);
    const answer = await fetch(`http://127.0.0.1:${port}${LOOKUP_PATH}`, {
      headers: { 'x-forwarded-for': '10.0.0.99' },
    });
    expect(answer.status).toBe(200);
    // Every slow request of the twelve clients is still waiting for its body (no answer yet).
    let answered = 0;
    for (const pending of many) void pending.then(() => answered++);
    await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(answered).toBe(0);
  });
});
